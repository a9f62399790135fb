(function (native, internal) {
  'use strict';

  // Web IDL's conversions and the helpers that shape interfaces the Web IDL way, for the other
  // embedded files (through `internal`). Lazy: internal.js's lazyFiles installs it the first time
  // a file reads one of these members.

  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf } = Object;

  // --- Web IDL conversions -----------------------------------------------------------------------

  // A template literal throws on symbols, as Web IDL's ToString does (String(sym) would not).
  function toDOMString(v) {
    return typeof v === 'string' ? v : `${v}`;
  }

  const hasToWellFormed = typeof String.prototype.toWellFormed === 'function';
  const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

  function toUSVString(v) {
    const s = typeof v === 'string' ? v : `${v}`;
    return hasToWellFormed ? s.toWellFormed() : s.replace(loneSurrogates, '\uFFFD');
  }

  const nonLatin1 = /[^\x00-\xFF]/;

  function toByteString(v, what) {
    const s = typeof v === 'string' ? v : `${v}`;
    if (nonLatin1.test(s)) {
      throw new TypeError(`${what || 'Value'} is not a valid ByteString`);
    }
    return s;
  }

  // Web IDL [EnforceRange] unsigned long long.
  function toEnforcedULL(v, what) {
    const n = +v;
    if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number`);
    const t = Math.trunc(n);
    if (t < 0 || t > Number.MAX_SAFE_INTEGER) throw new TypeError(`${what} is out of range`);
    return t;
  }

  // Web IDL integer conversions without [EnforceRange]: wrap modulo 2^bits.
  function toUnsignedWrap(v, bits) {
    const n = +v;
    if (!Number.isFinite(n)) return 0;
    const mod = 2 ** bits;
    const r = Math.trunc(n) % mod;
    return r < 0 ? r + mod : r;
  }

  function toEnum(v, allowed, what) {
    const s = toDOMString(v);
    if (!allowed.has(s)) throw new TypeError(`'${s}' is not a valid value for ${what}`);
    return s;
  }

  // A dictionary argument: undefined/null mean "empty"; other non-objects are a TypeError.
  function toDictionary(v, what) {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'object' && typeof v !== 'function') {
      throw new TypeError(`${what} must be an object`);
    }
    return v;
  }

  function requireArgs(got, need, where) {
    if (got < need) {
      throw new TypeError(
        `${where}: ${need} argument${need === 1 ? '' : 's'} required, but only ${got} present`);
    }
  }

  // --- Buffer sources ------------------------------------------------------------------------------

  // Brand checks through internal-slot getters: they work across realms and cannot be spoofed
  // with Symbol.toStringTag, unlike instanceof / Object.prototype.toString.
  const arrayBufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const typedArrayTag = getOwnPropertyDescriptor(getPrototypeOf(Uint8Array.prototype),
    Symbol.toStringTag).get;

  function isArrayBuffer(v) {
    if (v instanceof ArrayBuffer) return true;
    if (v === null || typeof v !== 'object') return false;
    try {
      arrayBufferByteLength.call(v);
      return true;
    } catch {
      return false;
    }
  }

  function isUint8Array(v) {
    return ArrayBuffer.isView(v) && typedArrayTag.call(v) === 'Uint8Array';
  }

  function isBufferSource(v) {
    return ArrayBuffer.isView(v) || isArrayBuffer(v);
  }

  const arrayBufferDetached = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get;

  // A SharedArrayBuffer is never detached; its buffers fail the ArrayBuffer getter.
  function isDetached(buffer) {
    if (arrayBufferDetached === undefined) return false;
    try {
      return arrayBufferDetached.call(buffer);
    } catch {
      return false;
    }
  }

  // A Uint8Array over the same memory (no copy). A detached buffer, or a view on one, holds no
  // bytes (Web IDL's "get a copy of the bytes held by the buffer source"), not an error.
  function bufferSourceView(v) {
    if (ArrayBuffer.isView(v)) {
      if (isDetached(v.buffer)) return new Uint8Array(0);
      return typedArrayTag.call(v) === 'Uint8Array'
        ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    }
    if (isDetached(v)) return new Uint8Array(0);
    return new Uint8Array(v);
  }

  // A copy of the bytes, detached from the caller's buffer (Fetch's "extract a body" copies).
  function bufferSourceCopy(v) {
    return bufferSourceView(v).slice();
  }

  // --- Interfaces ---------------------------------------------------------------------------------

  // Every interface's prototype: an object with one in its chain is a platform object, which
  // structuredClone (clone.js) refuses unless its interface is serializable.
  const interfacePrototypes = new Set();

  // Web IDL puts attributes and operations on the prototype as enumerable properties and gives
  // every prototype a Symbol.toStringTag; classes make them non-enumerable, so fix that up once.
  function makeInterface(ctor, tag) {
    const proto = ctor.prototype;
    interfacePrototypes.add(proto);
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor' || typeof key === 'symbol') continue;
      const d = getOwnPropertyDescriptor(proto, key);
      d.enumerable = true;
      defineProperty(proto, key, d);
    }
    for (const key of Reflect.ownKeys(ctor)) {
      if (key === 'length' || key === 'name' || key === 'prototype' || typeof key === 'symbol') continue;
      const d = getOwnPropertyDescriptor(ctor, key);
      if (typeof d.value === 'function' || d.get) {
        d.enumerable = true;
        defineProperty(ctor, key, d);
      }
    }
    defineProperty(proto, Symbol.toStringTag, { value: tag || ctor.name, configurable: true });
  }

  function defineConstants(ctor, table) {
    for (const key of Object.keys(table)) {
      const d = { value: table[key], enumerable: true, writable: false, configurable: false };
      defineProperty(ctor, key, d);
      defineProperty(ctor.prototype, key, d);
    }
  }

  const IteratorPrototype = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));

  // Web IDL "pair iterators" (Headers, URLSearchParams). getPairs(target) returns the current
  // [name, value] list on each step, so iteration sees mutations made while iterating.
  function makePairIterator(tag, getPairs) {
    class PairIterator {
      #target;
      #kind;
      #index = 0;

      constructor(target, kind) {
        this.#target = target;
        this.#kind = kind;
      }

      next() {
        const pairs = getPairs(this.#target);
        const i = this.#index;
        if (i >= pairs.length) return { value: undefined, done: true };
        this.#index = i + 1;
        const p = pairs[i];
        const kind = this.#kind;
        return { value: kind === 0 ? p[0] : kind === 1 ? p[1] : [p[0], p[1]], done: false };
      }
    }
    const proto = PairIterator.prototype;
    Object.setPrototypeOf(proto, IteratorPrototype);
    delete proto.constructor;
    defineProperty(proto, 'next', { enumerable: true });
    defineProperty(proto, Symbol.toStringTag, { value: `${tag} Iterator`, configurable: true });
    return (target, kind) => new PairIterator(target, kind === 'key' ? 0 : kind === 'value' ? 1 : 2);
  }

  // Adds entries/keys/values/forEach/@@iterator to an interface with a pair iterator.
  function definePairIterable(ctor, tag, getPairs, brandCheck) {
    const create = makePairIterator(tag, getPairs);
    const methods = {
      entries() {
        brandCheck(this);
        return create(this, 'key+value');
      },
      keys() {
        brandCheck(this);
        return create(this, 'key');
      },
      values() {
        brandCheck(this);
        return create(this, 'value');
      },
      forEach(callback, thisArg = undefined) {
        brandCheck(this);
        if (typeof callback !== 'function') {
          throw new TypeError(`${tag}.forEach: callback is not a function`);
        }
        // Re-read the pairs each step, like the iterator does.
        for (let i = 0, pairs = getPairs(this); i < pairs.length; i++, pairs = getPairs(this)) {
          const p = pairs[i];
          callback.call(thisArg, p[1], p[0], this);
        }
      },
    };
    const proto = ctor.prototype;
    for (const name of ['entries', 'keys', 'values', 'forEach']) {
      defineProperty(proto, name, {
        value: methods[name], writable: true, enumerable: true, configurable: true,
      });
    }
    defineProperty(proto, Symbol.iterator, { value: methods.entries, writable: true, configurable: true });
  }

  internal.toDOMString = toDOMString;
  internal.toUSVString = toUSVString;
  internal.toByteString = toByteString;
  internal.toEnforcedULL = toEnforcedULL;
  internal.toUnsignedWrap = toUnsignedWrap;
  internal.toEnum = toEnum;
  internal.toDictionary = toDictionary;
  internal.requireArgs = requireArgs;
  internal.isArrayBuffer = isArrayBuffer;
  internal.isUint8Array = isUint8Array;
  internal.isBufferSource = isBufferSource;
  internal.bufferSourceView = bufferSourceView;
  internal.bufferSourceCopy = bufferSourceCopy;
  internal.makeInterface = makeInterface;
  internal.interfacePrototypes = interfacePrototypes;
  internal.defineConstants = defineConstants;
  internal.definePairIterable = definePairIterable;
})
