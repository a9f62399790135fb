(function (native, internal) {
  'use strict';

  // Web IDL's DOMException and QuotaExceededError, apart from events.js: atob, crypto,
  // structuredClone and performance throw them without needing an event.

  const { toDOMString } = internal;
  const { defineProperty } = Object;

  // Web IDL's error names table, the names with a legacy code. DOMStringSizeError (2),
  // NoDataAllowedError (6) and ValidationError (16) were removed from it: code 0, like names
  // that never had one (their constants stay on the interface).
  const legacyCodes = Object.assign(Object.create(null), {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4,
    InvalidCharacterError: 5, NoModificationAllowedError: 7,
    NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19,
    AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25,
  });

  // Web IDL: a DOMException is an Error object (JSC records its stack) whose prototype chain
  // goes through Error.prototype, while the interface object itself inherits from
  // Function.prototype, not from Error. ErrorBase's constructor returns a real Error made for
  // new.target, so DOMExceptionImpl's private fields land on it; DOMException is a plain
  // function that constructs one for its new.target and shares DOMExceptionImpl's prototype.
  function ErrorBase() {
    return Reflect.construct(Error, [], new.target);
  }
  ErrorBase.prototype = Error.prototype;

  class DOMExceptionImpl extends ErrorBase {
    #name;
    #message;
    #cause = undefined;

    constructor(message = undefined, options = undefined) {
      // No message to super(): name/message/code are prototype accessors, not own properties.
      super();
      this.#message = message === undefined ? '' : toDOMString(message);
      if (options !== null && typeof options === 'object') {
        // The options-bag form ({name, cause}) that Node and newer Web IDL drafts accept.
        const name = options.name;
        this.#name = name === undefined ? 'Error' : toDOMString(name);
        // Inherited like name and message, not an own property.
        if ('cause' in options) this.#cause = options.cause;
      } else {
        this.#name = options === undefined ? 'Error' : toDOMString(options);
      }
    }

    get name() {
      return this.#name;
    }

    get message() {
      return this.#message;
    }

    get cause() {
      return this.#cause;
    }

    get code() {
      const c = legacyCodes[this.#name];
      return c === undefined ? 0 : c;
    }
  }
  const DOMException = function DOMException(message = undefined, options = undefined) {
    if (new.target === undefined) throw new TypeError("Constructor DOMException requires 'new'");
    return Reflect.construct(DOMExceptionImpl, [message, options], new.target);
  };
  defineProperty(DOMException, 'prototype', { value: DOMExceptionImpl.prototype, writable: false });
  defineProperty(DOMExceptionImpl.prototype, 'constructor', {
    value: DOMException, writable: true, enumerable: false, configurable: true,
  });
  internal.makeInterface(DOMException);
  internal.defineConstants(DOMException, {
    INDEX_SIZE_ERR: 1, DOMSTRING_SIZE_ERR: 2, HIERARCHY_REQUEST_ERR: 3, WRONG_DOCUMENT_ERR: 4,
    INVALID_CHARACTER_ERR: 5, NO_DATA_ALLOWED_ERR: 6, NO_MODIFICATION_ALLOWED_ERR: 7,
    NOT_FOUND_ERR: 8, NOT_SUPPORTED_ERR: 9, INUSE_ATTRIBUTE_ERR: 10, INVALID_STATE_ERR: 11,
    SYNTAX_ERR: 12, INVALID_MODIFICATION_ERR: 13, NAMESPACE_ERR: 14, INVALID_ACCESS_ERR: 15,
    VALIDATION_ERR: 16, TYPE_MISMATCH_ERR: 17, SECURITY_ERR: 18, NETWORK_ERR: 19, ABORT_ERR: 20,
    URL_MISMATCH_ERR: 21, QUOTA_EXCEEDED_ERR: 22, TIMEOUT_ERR: 23, INVALID_NODE_TYPE_ERR: 24,
    DATA_CLONE_ERR: 25,
  });

  // Web IDL's QuotaExceededError: a DOMException named so, with the quota and the amount
  // requested when the thrower knows them (null otherwise). Serializable (clone.js).
  const toOptionalDouble = (v, what) => {
    if (v === undefined) return null;
    const n = +v;
    if (!Number.isFinite(n)) throw new TypeError(`QuotaExceededError: ${what} is not a finite number`);
    return n;
  };

  class QuotaExceededError extends DOMException {
    #quota = null;
    #requested = null;

    constructor(message = undefined, options = undefined) {
      super(message === undefined ? '' : message, 'QuotaExceededError');
      if (options === undefined || options === null) return;
      if (typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError('QuotaExceededError: options must be an object');
      }
      // Dictionary members in lexicographic order.
      const quota = toOptionalDouble(options.quota, 'quota');
      const requested = toOptionalDouble(options.requested, 'requested');
      if (quota !== null && quota < 0) throw new RangeError('QuotaExceededError: quota is negative');
      if (requested !== null && requested < 0) throw new RangeError('QuotaExceededError: requested is negative');
      if (quota !== null && requested !== null && requested < quota) {
        throw new RangeError('QuotaExceededError: requested is less than quota');
      }
      this.#quota = quota;
      this.#requested = requested;
    }

    get quota() {
      return this.#quota;
    }

    get requested() {
      return this.#requested;
    }
  }
  internal.makeInterface(QuotaExceededError);

  // Later files use these rather than the globals, which user code may replace.
  internal.DOMException = DOMException;
  internal.QuotaExceededError = QuotaExceededError;

  internal.defineGlobal('DOMException', DOMException);
  internal.defineGlobal('QuotaExceededError', QuotaExceededError);
})
