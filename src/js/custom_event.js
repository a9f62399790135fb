(function (native, internal) {
  'use strict';

  // DOM's CustomEvent, apart from events.js: few scripts make one.

  const { toDictionary, requireArgs, Event } = internal;

  class CustomEvent extends Event {
    #detail;

    constructor(type, eventInitDict = undefined) {
      requireArgs(arguments.length, 1, 'CustomEvent constructor');
      super(type, eventInitDict);
      const init = toDictionary(eventInitDict, 'CustomEventInit');
      const detail = init === null ? undefined : init.detail;
      this.#detail = detail === undefined ? null : detail;
    }

    get detail() { return this.#detail; }

    initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
      requireArgs(arguments.length, 1, 'CustomEvent.initCustomEvent');
      if (internal.eventState(this).dispatching) return;
      this.initEvent(type, bubbles, cancelable);
      this.#detail = detail;
    }
  }
  internal.makeInterface(CustomEvent);

  internal.defineGlobal('CustomEvent', CustomEvent);
})
