(function (native, internal) {
  'use strict';

  // MessageChannel and MessagePort (HTML "Channel messaging") and BroadcastChannel (HTML
  // "Broadcasting to other browsing contexts"), within one engine.
  //
  // Each end of a channel is a port message queue (`End` below): the messages posted to it, and
  // the queue it is entangled with. Transferring a port moves its End to the new port made at
  // delivery, so messages posted while the port is in transit are not lost. Every message
  // posted to an enabled queue is a task of its own on the engine's loop (a 0 ms timer, taken
  // before any script ran): microtasks drain between two messages, and messages of all ports
  // are delivered in the order they were posted.
  //
  // Pending work: a message waiting in an enabled queue keeps the loop alive (its timer does),
  // nothing else. A port that only listens does not, unlike Node (where a started, ref'd port
  // keeps the process alive until it is closed or unref'd): within one engine a message can
  // only come from this engine's own script, which runs only from some other pending work, so a
  // listening port with nothing in flight could wait forever and `eddy file.js` exits instead.
  // Messages queued to a port that was never started are not pending work either.

  const {
    requireArgs, toDOMString, makeInterface, DOMException, EventTarget, fireEvent,
    defineEventHandler, structuredSerializeWithTransfer, structuredDeserializeWithTransfer, structuredCloneValue,
  } = internal;
  const makePortMessageEvent = internal.makePortMessageEvent;
  const { setTimeout } = internal.intrinsics;
  const { freeze } = Object;
  const SymbolIterator = Symbol.iterator;
  const { apply } = Reflect;

  const noHolders = freeze([]);
  const kCreate = {}; // the constructor's key for ports made here (the interface has none)

  function dataCloneError(message) {
    return new DOMException(message, 'DataCloneError');
  }

  // A port message queue; `peer` is the End it is entangled with, `owner` the port it belongs
  // to (null while the port is in transit).
  class End {
    constructor() {
      this.owner = null;
      this.peer = null;
      this.messages = [];
      this.head = 0;
      this.enabled = false;
      this.scheduled = 0; // delivery tasks on the loop for this queue
      // A transferred stream's port (crossRealmPorts below): { message(data), messageerror() },
      // called instead of firing events at the port.
      this.listener = null;
    }
  }

  // Makes sure every queued message of an enabled queue has its task.
  function schedule(end) {
    while (end.scheduled < end.messages.length - end.head) {
      end.scheduled++;
      setTimeout(deliver, 0, end);
    }
  }

  // One message's task: HTML's steps for a task in the port message queue.
  function deliver(end) {
    end.scheduled--;
    if (!end.enabled || end.head >= end.messages.length) return;
    const record = end.messages[end.head];
    end.messages[end.head++] = undefined;
    if (end.head === end.messages.length) {
      end.messages.length = 0;
      end.head = 0;
    } else if (end.head > 1024 && end.head * 2 > end.messages.length) {
      end.messages.splice(0, end.head);
      end.head = 0;
    }
    const port = end.owner;
    const listener = end.listener;
    if (listener !== null) {
      let data;
      try {
        data = record instanceof Serialized ? structuredDeserializeWithTransfer(record.record).deserialized : record;
      } catch {
        listener.messageerror();
        return;
      }
      listener.message(data);
      return;
    }
    if (!(record instanceof Serialized)) {
      // A copy made when it was posted (clone.js's one walk): its deserialization is done.
      fireEvent(port, makePortMessageEvent('message', record, '', noHolders));
      return;
    }
    let result;
    try {
      result = structuredDeserializeWithTransfer(record.record);
    } catch {
      fireEvent(port, makePortMessageEvent('messageerror', null, '', freeze([])));
      return;
    }
    const newPorts = [];
    for (const v of result.transferredValues) if (isMessagePort(v)) newPorts.push(v);
    fireEvent(port, makePortMessageEvent('message', result.deserialized, '', freeze(newPorts)));
  }

  // A message serialized with a transfer list, to be deserialized at delivery. A message posted
  // with nothing to transfer is queued as its copy instead: serialized and deserialized at once
  // (structuredCloneValue), which no script can tell from deserializing it later, as nothing
  // but this queue holds the copy. A copy is never a Serialized (its prototypes are intrinsics).
  class Serialized {
    constructor(record) {
      this.record = record;
    }
  }

  // Web IDL sequence<object>.
  function toObjectSequence(v, where) {
    const method = v[SymbolIterator];
    if (typeof method !== 'function') throw new TypeError(`${where} is not iterable`);
    const out = [];
    for (const item of { [SymbolIterator]: () => apply(method, v, []) }) {
      if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
        throw new TypeError(`${where}: every element must be an object`);
      }
      out.push(item);
    }
    return out;
  }

  // postMessage(message, transfer) or postMessage(message, options): Web IDL's overload
  // resolution picks the sequence for an object with @@iterator, else the dictionary.
  function transferArgument(arg, where) {
    if (arg === undefined || arg === null) return [];
    if (typeof arg !== 'object' && typeof arg !== 'function') {
      throw new TypeError(`${where}: the second argument must be a sequence or an options object`);
    }
    if (arg[SymbolIterator] !== undefined) return toObjectSequence(arg, `${where}: 'transfer'`);
    const t = arg.transfer;
    if (t === undefined) return [];
    if (t === null || (typeof t !== 'object' && typeof t !== 'function')) {
      throw new TypeError(`${where}: 'transfer' is not a sequence`);
    }
    return toObjectSequence(t, `${where}: 'transfer'`);
  }

  // --- MessagePort -------------------------------------------------------------------------------

  let isMessagePort;
  let newPort;
  let portDetached;
  let shipPort;
  let startHandler;
  let portEnd;

  class MessagePort extends EventTarget {
    #end = null; // null once shipped (transferred)
    #detached = false; // closed or shipped: cannot be transferred
    #handlerSet = false;

    constructor(key = undefined) {
      if (key !== kCreate) throw new TypeError('Illegal constructor');
      super();
    }

    static {
      isMessagePort = (v) => typeof v === 'object' && v !== null && #end in v;
      newPort = (end) => {
        const port = new MessagePort(kCreate);
        port.#end = end;
        end.owner = port;
        return port;
      };
      portDetached = (port) => port.#detached;
      // The transfer steps: the port's queue and entanglement go into the data holder.
      shipPort = (port) => {
        const end = port.#end;
        port.#end = null;
        port.#detached = true;
        end.owner = null;
        end.enabled = false;
        return end;
      };
      portEnd = (port) => port.#end;
      startHandler = (port) => {
        if (port.#handlerSet) return;
        port.#handlerSet = true;
        port.start();
      };
    }

    postMessage(message, transferOrOptions = undefined) {
      if (!isMessagePort(this)) throw new TypeError('Illegal invocation');
      requireArgs(arguments.length, 1, 'MessagePort.postMessage');
      const transfer = transferArgument(transferOrOptions, 'MessagePort.postMessage');
      const end = this.#end;
      const target = end === null ? null : end.peer;
      let doomed = false;
      for (let i = 0; i < transfer.length; i++) {
        if (transfer[i] === this) {
          throw dataCloneError('A MessagePort cannot be transferred through itself.');
        }
        if (target !== null && transfer[i] === target.owner) doomed = true;
      }
      const record = transfer.length === 0 ? structuredCloneValue(message)
        : new Serialized(structuredSerializeWithTransfer(message, transfer));
      if (target === null || doomed) return;
      target.messages.push(record);
      if (target.enabled) schedule(target);
    }

    start() {
      if (!isMessagePort(this)) throw new TypeError('Illegal invocation');
      const end = this.#end;
      if (end === null || end.enabled) return;
      end.enabled = true;
      schedule(end);
    }

    close() {
      if (!isMessagePort(this)) throw new TypeError('Illegal invocation');
      this.#detached = true;
      const end = this.#end;
      if (end === null || end.peer === null) return;
      // Disentangle, which ends with the other side's close event (not for a port in transit:
      // no object holds that end until it arrives).
      const other = end.peer;
      end.peer = null;
      other.peer = null;
      if (other.owner !== null) fireEvent(other.owner, new internal.Event('close'));
    }
  }
  makeInterface(MessagePort);
  for (const type of ['message', 'messageerror', 'close']) defineEventHandler(MessagePort.prototype, type);
  // Setting onmessage enables the port message queue, the first time (HTML).
  {
    const d = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
    const handlerSet = d.set;
    d.set = Object.getOwnPropertyDescriptor({
      set onmessage(value) {
        apply(handlerSet, this, [value]);
        startHandler(this);
      },
    }, 'onmessage').set;
    Object.defineProperty(MessagePort.prototype, 'onmessage', d);
  }

  // --- MessageChannel ----------------------------------------------------------------------------

  class MessageChannel {
    #port1;
    #port2;

    constructor() {
      const a = new End();
      const b = new End();
      a.peer = b;
      b.peer = a;
      this.#port1 = newPort(a);
      this.#port2 = newPort(b);
    }

    get port1() { return this.#port1; }
    get port2() { return this.#port2; }
  }
  makeInterface(MessageChannel);

  // structuredSerializeWithTransfer's hooks for MessagePorts (clone_platform.js).
  internal.messagePortTransfer = {
    is: isMessagePort,
    detached: portDetached,
    ship: shipPort,
    receive: newPort,
  };
  internal.isMessagePort = isMessagePort;

  // The ports of transferable streams' cross-realm transforms (streams_transfer.js), which no
  // script ever sees: their messages go to a callback rather than to listeners of events.
  const closePort = MessagePort.prototype.close;
  internal.crossRealmPorts = {
    pair() {
      const c = new MessageChannel();
      return [c.port1, c.port2];
    },
    // Adds the handlers of the message and messageerror events and enables the port's queue.
    listen(port, onMessage, onMessageError) {
      const end = portEnd(port);
      end.listener = { message: onMessage, messageerror: onMessageError };
      end.enabled = true;
      schedule(end);
    },
    // The port message post message steps, with nothing to transfer.
    post(port, message) {
      const record = structuredCloneValue(message);
      const end = portEnd(port);
      const target = end === null ? null : end.peer;
      if (target === null) return;
      target.messages.push(record);
      if (target.enabled) schedule(target);
    },
    disentangle(port) {
      apply(closePort, port, []);
    },
  };

  // --- BroadcastChannel --------------------------------------------------------------------------

  // name -> the open channels of that name, in creation order (a Set keeps insertion order).
  // An open channel stays reachable through this table until it is closed.
  const channels = new Map();

  let sourceOrigin;
  function origin() {
    if (sourceOrigin === undefined) {
      sourceOrigin = 'null'; // an opaque origin, without a base URL
      const base = native.baseURL;
      if (typeof base === 'string') {
        const rec = internal.parseURL(base, undefined);
        if (rec) sourceOrigin = internal.urlOrigin(rec);
      }
    }
    return sourceOrigin;
  }

  function deliverBroadcast(channel, data, from) {
    if (channel.closed) return;
    fireEvent(channel.target, broadcastEvent('message', data, from));
  }

  const noPorts = freeze([]);
  function broadcastEvent(type, data, from) {
    return makePortMessageEvent(type, data, from, noPorts);
  }

  class BroadcastChannel extends EventTarget {
    #name;
    #state; // { target, closed }: what the table and the delivery tasks hold

    constructor(name) {
      requireArgs(arguments.length, 1, 'BroadcastChannel constructor');
      const n = toDOMString(name);
      super();
      this.#name = n;
      this.#state = { target: this, closed: false };
      let set = channels.get(n);
      if (set === undefined) channels.set(n, set = new Set());
      set.add(this.#state);
    }

    get name() {
      if (!(#name in this)) throw new TypeError('Illegal invocation');
      return this.#name;
    }

    postMessage(message) {
      if (!(#name in this)) throw new TypeError('Illegal invocation');
      requireArgs(arguments.length, 1, 'BroadcastChannel.postMessage');
      if (this.#state.closed) {
        throw new DOMException('The BroadcastChannel is closed.', 'InvalidStateError');
      }
      // Serialized and deserialized at once (see Serialized above): each destination gets a
      // copy of its own, the first made from the message, the others from a spare copy, which
      // runs no script's getter again.
      let data = structuredCloneValue(message);
      const destinations = [];
      for (const s of channels.get(this.#name)) if (s !== this.#state) destinations.push(s);
      if (destinations.length === 0) return;
      const from = origin();
      const master = destinations.length > 1 ? data : undefined;
      for (let i = 0; i < destinations.length; i++) {
        if (master !== undefined) data = structuredCloneValue(master);
        setTimeout(deliverBroadcast, 0, destinations[i], data, from);
      }
    }

    close() {
      if (!(#name in this)) throw new TypeError('Illegal invocation');
      const s = this.#state;
      if (s.closed) return;
      s.closed = true;
      const set = channels.get(this.#name);
      set.delete(s);
      if (set.size === 0) channels.delete(this.#name);
    }
  }
  makeInterface(BroadcastChannel);
  for (const type of ['message', 'messageerror']) defineEventHandler(BroadcastChannel.prototype, type);

  internal.defineGlobal('MessagePort', MessagePort);
  internal.defineGlobal('MessageChannel', MessageChannel);
  internal.defineGlobal('BroadcastChannel', BroadcastChannel);
})
