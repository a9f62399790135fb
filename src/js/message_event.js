(function (native, internal) {
  'use strict';

  // HTML's MessageEvent, shared by WebSocket, EventSource, MessagePort and BroadcastChannel
  // (its own file so that channel messaging does not install WebSocket to get it).

  const { requireArgs, toDOMString, toUSVString, toDictionary, makeInterface, Event } = internal;
  const { freeze } = Object;

  // --- MessageEvent ------------------------------------------------------------------------------

  let makeMessageEvent;
  // The constructor's argument for makeMessageEvent's fast path (never a script's value).
  const kPreset = {};
  const { presetEvent } = internal;
  // The engine's clock (performance.now()) when a caller has no time of its own.
  const clock = typeof native.performanceNow === 'function' ? native.performanceNow : () => Date.now();

  class MessageEvent extends Event {
    #data = null;
    #origin = '';
    #lastEventId = '';
    #source = null;
    #ports = null; // made on first read: most events' ports are never looked at

    constructor(type, eventInitDict = undefined) {
      if (type === kPreset) {
        super(); // takes internal.presetEvent's state
        return;
      }
      requireArgs(arguments.length, 1, 'MessageEvent constructor');
      super(type, eventInitDict);
      const init = toDictionary(eventInitDict, 'MessageEventInit');
      if (init !== null) {
        // Dictionary members in lexicographic order, as Web IDL reads them.
        if (init.data !== undefined) this.#data = init.data;
        if (init.lastEventId !== undefined) this.#lastEventId = toDOMString(init.lastEventId);
        if (init.origin !== undefined) this.#origin = toUSVString(init.origin);
        if (init.ports !== undefined) this.#ports = freeze(portList(init.ports));
        if (init.source !== undefined) this.#source = sourceOf(init.source);
      }
    }

    get data() { return this.#data; }
    get origin() { return this.#origin; }
    get lastEventId() { return this.#lastEventId; }
    get source() { return this.#source; }
    get ports() { return this.#ports ??= freeze([]); }

    initMessageEvent(type, bubbles = false, cancelable = false, data = null, origin = '',
      lastEventId = '', source = null, ports = []) {
      requireArgs(arguments.length, 1, 'MessageEvent.initMessageEvent');
      this.initEvent(type, bubbles, cancelable);
      this.#data = data;
      this.#origin = toUSVString(origin);
      this.#lastEventId = toDOMString(lastEventId);
      this.#source = sourceOf(source);
      this.#ports = freeze(portList(ports));
    }

    static {
      // A received message's event, without the dictionary conversions (once per message).
      // timeStamp: performance.now() when the message was taken from the socket's queue (the
      // caller's clock read, which is this event's creation), or undefined to read it here.
      makeMessageEvent = (data, origin, timeStamp = clock()) => {
        presetEvent('message', timeStamp);
        const e = new MessageEvent(kPreset);
        e.#data = data;
        e.#origin = origin;
        return e;
      };
      // MessagePort's and BroadcastChannel's events (messaging.js): ports a frozen array.
      internal.makePortMessageEvent = (type, data, origin, ports) => {
        presetEvent(type, clock());
        const e = new MessageEvent(kPreset);
        e.#data = data;
        e.#origin = origin;
        e.#ports = ports;
        return e;
      };
    }
  }
  makeInterface(MessageEvent);

  // MessagePorts exist once messaging.js is installed (internal.isMessagePort).
  const isPort = (v) => internal.isMessagePort !== undefined && internal.isMessagePort(v);

  function portList(v) {
    if (v === null || typeof v !== 'object' || typeof v[Symbol.iterator] !== 'function') {
      throw new TypeError("MessageEvent: 'ports' must be a sequence");
    }
    const list = [...v];
    for (const p of list) {
      if (!isPort(p)) throw new TypeError("MessageEvent: 'ports' must contain MessagePort objects");
    }
    return list;
  }

  function sourceOf(v) {
    if (v === null || v === undefined) return null;
    if (isPort(v)) return v;
    throw new TypeError("MessageEvent: 'source' must be a MessageEventSource or null");
  }

  internal.MessageEvent = MessageEvent;
  internal.makeMessageEvent = makeMessageEvent;
  internal.defineGlobal('MessageEvent', MessageEvent);
})
