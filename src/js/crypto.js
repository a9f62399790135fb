(function (native, internal) {
  'use strict';

  // crypto and Crypto (W3C Web Cryptography API): getRandomValues and randomUUID on OpenSSL's
  // CSPRNG (src/web/crypto.c). crypto.subtle, SubtleCrypto and CryptoKey are subtle.js, which is
  // over ten times this file's size (its algorithm files, subtle_*.js, come on their own first
  // use): installed by the first crypto.subtle, not by randomUUID.

  const { requireArgs, makeInterface, defineGlobal } = internal;
  const { getOwnPropertyDescriptor, getPrototypeOf } = Object;
  const { isView } = ArrayBuffer;
  const typedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
  const byteLengthGetter = getOwnPropertyDescriptor(typedArrayProto, 'byteLength').get;
  const setHas = Set.prototype.has;

  const INTEGER_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
    'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array']);
  const kCrypto = Symbol('Crypto.create');

  class Crypto {
    #subtle; // [SameObject]: subtle.js's one SubtleCrypto, taken on first access

    constructor(token = undefined) {
      if (token !== kCrypto) throw new TypeError('Illegal constructor');
    }

    get subtle() {
      return (this.#subtle ??= internal.subtle);
    }

    getRandomValues(array) {
      void this.#subtle; // brand check
      requireArgs(arguments.length, 1, 'Crypto.getRandomValues');
      if (!isView(array)) {
        throw new TypeError('Crypto.getRandomValues: array must be an ArrayBufferView');
      }
      const tag = typedArrayTag.call(array);
      if (!setHas.call(INTEGER_ARRAYS, tag)) {
        throw new internal.DOMException(
          'Crypto.getRandomValues: array must be an integer typed array', 'TypeMismatchError');
      }
      if (byteLengthGetter.call(array) > 65536) {
        // Web Crypto throws it without the quota or the amount requested (both null).
        const asked = byteLengthGetter.call(array);
        throw new internal.QuotaExceededError(
          `Crypto.getRandomValues: ${asked} bytes asked for, more than the 65536 allowed`);
      }
      return native.cryptoRandom(array);
    }

    randomUUID() {
      void this.#subtle; // brand check
      return native.cryptoRandomUUID();
    }
  }
  makeInterface(Crypto);

  defineGlobal('crypto', new Crypto(kCrypto));
  defineGlobal('Crypto', Crypto);
})
