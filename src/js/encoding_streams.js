(function (native, internal) {
  'use strict';

  // TextEncoderStream and TextDecoderStream (the Encoding standard), each a TransformStream set
  // up over the encoder or a TextDecoder in streaming mode, so that every encoding TextDecoder
  // knows works here too, with sequences split across chunks.

  const { TransformStream, TransformStreamEnqueue } = internal.streams;
  const { apply } = Reflect;
  const { getOwnPropertyDescriptor } = Object;
  const readableOf = getOwnPropertyDescriptor(TransformStream.prototype, 'readable').get;
  const writableOf = getOwnPropertyDescriptor(TransformStream.prototype, 'writable').get;
  const Decoder = internal.TextDecoder || globalThis.TextDecoder;
  const decode = Decoder.prototype.decode;
  const decoderEncoding = getOwnPropertyDescriptor(Decoder.prototype, 'encoding').get;
  const decoderFatal = getOwnPropertyDescriptor(Decoder.prototype, 'fatal').get;
  const decoderIgnoreBOM = getOwnPropertyDescriptor(Decoder.prototype, 'ignoreBOM').get;
  const streamOption = { __proto__: null, stream: true };
  const replacement = [0xEF, 0xBF, 0xBD];

  function isLeadSurrogate(unit) {
    return unit >= 0xD800 && unit <= 0xDBFF;
  }

  class TextEncoderStream {
    #transform;

    constructor() {
      // A lead surrogate that ended the last chunk, waiting for its trail in the next one.
      let pending = '';
      this.#transform = new TransformStream({
        __proto__: null,
        transform(chunk, controller) {
          let input = internal.toDOMString(chunk);
          if (input === '') return;
          if (pending !== '') {
            input = pending + input;
            pending = '';
          }
          const last = input.length - 1;
          if (isLeadSurrogate(input.charCodeAt(last))) {
            pending = input[last];
            input = input.slice(0, last);
          }
          // Lone surrogates left inside are U+FFFD, as the encoder says.
          if (input !== '') TransformStreamEnqueue(controller, native.utf8Encode(input));
        },
        flush(controller) {
          if (pending !== '') TransformStreamEnqueue(controller, new Uint8Array(replacement));
        },
      });
    }

    get encoding() {
      if (!(#transform in this)) throw new TypeError('Not a TextEncoderStream');
      return 'utf-8';
    }

    get readable() {
      return apply(readableOf, this.#transform, []);
    }

    get writable() {
      return apply(writableOf, this.#transform, []);
    }
  }

  class TextDecoderStream {
    #decoder;
    #transform;

    constructor(label = 'utf-8', options = undefined) {
      // TextDecoder's constructor does the label and options steps (and throws as they say).
      const decoder = new Decoder(label, options);
      this.#decoder = decoder;
      this.#transform = new TransformStream({
        __proto__: null,
        transform(chunk, controller) {
          // AllowSharedBufferSource: decode() converts it, and throws a TypeError for anything
          // else, or in fatal mode for invalid input.
          if (!internal.isBufferSource(chunk) && !isShared(chunk)) {
            throw new TypeError('TextDecoderStream: chunk is not a BufferSource');
          }
          const output = apply(decode, decoder, [chunk, streamOption]);
          if (output !== '') TransformStreamEnqueue(controller, output);
        },
        flush(controller) {
          const output = apply(decode, decoder, []);
          if (output !== '') TransformStreamEnqueue(controller, output);
        },
      });
    }

    get encoding() {
      return apply(decoderEncoding, this.#decoder, []);
    }

    get fatal() {
      return apply(decoderFatal, this.#decoder, []);
    }

    get ignoreBOM() {
      return apply(decoderIgnoreBOM, this.#decoder, []);
    }

    get readable() {
      return apply(readableOf, this.#transform, []);
    }

    get writable() {
      return apply(writableOf, this.#transform, []);
    }
  }

  const sharedByteLength = typeof SharedArrayBuffer === 'function'
    ? getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get : null;

  function isShared(v) {
    if (sharedByteLength === null || v === null || typeof v !== 'object') return false;
    try {
      apply(sharedByteLength, v, []);
      return true;
    } catch {
      return false;
    }
  }

  internal.makeInterface(TextEncoderStream);
  internal.makeInterface(TextDecoderStream);
  internal.defineGlobal('TextEncoderStream', TextEncoderStream);
  internal.defineGlobal('TextDecoderStream', TextDecoderStream);
})
