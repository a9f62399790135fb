(function (native, internal) {
  'use strict';

  // Encoding Standard, UTF-8 only. The byte work is native (utf8Encode/utf8EncodeInto/
  // utf8Decode); this file adds labels, BOM handling and streaming.

  const { toDOMString, toDictionary, isBufferSource, bufferSourceView, isUint8Array, requireArgs } = internal;

  class TextEncoder {
    constructor() {}

    get encoding() {
      return 'utf-8';
    }

    encode(input = '') {
      // USVString conversion (lone surrogates → U+FFFD) happens in native.utf8Encode.
      return native.utf8Encode(toDOMString(input));
    }

    encodeInto(source, destination) {
      requireArgs(arguments.length, 2, 'TextEncoder.encodeInto');
      if (!isUint8Array(destination)) {
        throw new TypeError('TextEncoder.encodeInto: destination must be a Uint8Array');
      }
      const r = native.utf8EncodeInto(toDOMString(source), destination);
      return { read: r[0], written: r[1] };
    }
  }
  internal.makeInterface(TextEncoder);

  // Every label of the UTF-8 encoding in the Encoding Standard.
  const utf8Labels = new Set([
    'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8',
  ]);
  const asciiWhitespaceEdges = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;

  // Length of a trailing, still-valid prefix of a multi-byte sequence (0–3) that a streaming
  // decode must keep for the next call. Invalid prefixes are left to the decoder so that errors
  // (U+FFFD or the fatal TypeError) show up in the call that received them.
  function incompleteTail(b) {
    const n = b.length;
    for (let k = 1; k <= 3 && k <= n; k++) {
      const c = b[n - k];
      if ((c & 0xC0) === 0x80) continue;
      let need;
      if (c >= 0xC2 && c <= 0xDF) need = 2;
      else if (c >= 0xE0 && c <= 0xEF) need = 3;
      else if (c >= 0xF0 && c <= 0xF4) need = 4;
      else return 0;
      if (need <= k) return 0;
      if (k >= 2) {
        const c1 = b[n - k + 1];
        const lo = c === 0xE0 ? 0xA0 : c === 0xF0 ? 0x90 : 0x80;
        const hi = c === 0xED ? 0x9F : c === 0xF4 ? 0x8F : 0xBF;
        if (c1 < lo || c1 > hi) return 0;
      }
      return k;
    }
    return 0;
  }

  class TextDecoder {
    #fatal;
    #ignoreBOM;
    #bomSeen = false;
    #doNotFlush = false;
    #pending = null;

    constructor(label = 'utf-8', options = undefined) {
      const name = toDOMString(label).replace(asciiWhitespaceEdges, '').toLowerCase();
      if (!utf8Labels.has(name)) {
        const l = String(label);
        const shown = l.length > 100 ? `'${l.slice(0, 100)}…'` : `'${l}'`;
        throw new RangeError(`TextDecoder: the encoding ${shown} is not supported`);
      }
      const opts = toDictionary(options, 'TextDecoderOptions');
      this.#fatal = opts !== null && !!opts.fatal;
      this.#ignoreBOM = opts !== null && !!opts.ignoreBOM;
    }

    get encoding() {
      return 'utf-8';
    }

    get fatal() {
      return this.#fatal;
    }

    get ignoreBOM() {
      return this.#ignoreBOM;
    }

    decode(input = undefined, options = undefined) {
      if (input !== undefined && !isBufferSource(input)) {
        throw new TypeError('TextDecoder.decode: input must be an ArrayBuffer or ArrayBufferView');
      }
      const opts = toDictionary(options, 'TextDecodeOptions');
      const stream = opts !== null && !!opts.stream;
      if (!this.#doNotFlush) {
        this.#pending = null;
        this.#bomSeen = false;
      }
      this.#doNotFlush = stream;

      let out;
      try {
        if (!stream && this.#pending === null) {
          // The common one-shot call: hand the caller's buffer straight to native.
          out = input === undefined ? '' : native.utf8Decode(input, this.#fatal);
        } else {
          let bytes = input === undefined ? null : bufferSourceView(input);
          const pending = this.#pending;
          if (pending !== null) {
            this.#pending = null;
            if (bytes === null || bytes.length === 0) {
              bytes = pending;
            } else {
              const joined = new Uint8Array(pending.length + bytes.length);
              joined.set(pending, 0);
              joined.set(bytes, pending.length);
              bytes = joined;
            }
          }
          if (bytes === null) {
            out = '';
          } else {
            let end = bytes.length;
            if (stream) {
              const hold = incompleteTail(bytes);
              if (hold > 0) {
                // Copy: the caller may reuse its buffer before the next call.
                this.#pending = bytes.slice(end - hold);
                end -= hold;
              }
            }
            const whole = end === bytes.length ? bytes : bytes.subarray(0, end);
            out = end === 0 ? '' : native.utf8Decode(whole, this.#fatal);
          }
        }
      } catch (err) {
        // After a fatal error start over on the next call rather than resume mid-sequence.
        this.#pending = null;
        this.#doNotFlush = false;
        throw err;
      }

      if (!this.#ignoreBOM && !this.#bomSeen && out.length > 0) {
        this.#bomSeen = true;
        if (out.charCodeAt(0) === 0xFEFF) out = out.slice(1);
      }
      return out;
    }
  }
  internal.makeInterface(TextDecoder);

  // Encoding's "UTF-8 decode": replacement on errors, one leading BOM stripped (Body.text()).
  internal.utf8DecodeBody = (bufferSource) => {
    const s = native.utf8Decode(bufferSource, false);
    return s.charCodeAt(0) === 0xFEFF ? s.slice(1) : s;
  };

  internal.defineGlobal('TextEncoder', TextEncoder);
  internal.defineGlobal('TextDecoder', TextDecoder);
})
