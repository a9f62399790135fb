(function (native, internal) {
  'use strict';

  // CompressionStream and DecompressionStream (the Compression standard), each a TransformStream
  // set up over a native codec (src/web/compression.c): the coding runs in C, and a long chunk
  // runs on the thread pool, so that its transform returns a promise.

  const { TransformStream, TransformStreamEnqueue } = internal.streams;
  const { promiseThen } = internal.intrinsics;
  const { apply } = Reflect;
  const { isArray } = Array;
  const { getOwnPropertyDescriptor } = Object;
  const readableOf = getOwnPropertyDescriptor(TransformStream.prototype, 'readable').get;
  const writableOf = getOwnPropertyDescriptor(TransformStream.prototype, 'writable').get;
  const typedArrayBuffer = getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'buffer').get;
  const dataViewBuffer = getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
  const isView = ArrayBuffer.isView;

  // CompressionFormat, numbered as compression.c's formats.
  const formatNumber = { __proto__: null, deflate: 0, 'deflate-raw': 1, gzip: 2, brotli: 3, zstd: 4 };
  const formats = new Set(['brotli', 'deflate', 'deflate-raw', 'gzip', 'zstd']);

  // A BufferSource chunk (not shared memory) as bytes for the codec, without a copy.
  function toBytes(chunk, where) {
    if (isView(chunk)) {
      let buffer;
      try {
        buffer = apply(typedArrayBuffer, chunk, []);
      } catch {
        buffer = apply(dataViewBuffer, chunk, []);
      }
      if (internal.isArrayBuffer(buffer)) return internal.bufferSourceView(chunk);
    } else if (internal.isArrayBuffer(chunk)) {
      return new Uint8Array(chunk);
    }
    throw new TypeError(`${where}: chunk is not a BufferSource`);
  }

  // Enqueues the codec's output pieces; a string after them is the error of data found after
  // the end of the compressed stream, thrown once what came before it is enqueued.
  function enqueueAll(controller, out) {
    for (let i = 0; i < out.length; i++) {
      const piece = out[i];
      if (typeof piece === 'string') throw new TypeError(piece);
      TransformStreamEnqueue(controller, piece);
    }
  }

  function push(codec, controller, bytes, finish) {
    const out = native.compressionPush(codec, bytes, finish);
    if (isArray(out)) {
      enqueueAll(controller, out);
      return undefined;
    }
    return apply(promiseThen, out, [(pieces) => enqueueAll(controller, pieces)]);
  }

  function setUp(format, decompress, where) {
    const codec = native.compressionCreate(formatNumber[format], decompress);
    return new TransformStream({
      __proto__: null,
      transform: (chunk, controller) => push(codec, controller, toBytes(chunk, where), false),
      flush: (controller) => push(codec, controller, null, true),
    });
  }

  class CompressionStream {
    #transform;

    constructor(format) {
      internal.requireArgs(arguments.length, 1, 'CompressionStream');
      const f = internal.toEnum(format, formats, 'CompressionFormat');
      this.#transform = setUp(f, false, 'CompressionStream');
    }

    get readable() {
      return apply(readableOf, this.#transform, []);
    }

    get writable() {
      return apply(writableOf, this.#transform, []);
    }
  }

  class DecompressionStream {
    #transform;

    constructor(format) {
      internal.requireArgs(arguments.length, 1, 'DecompressionStream');
      const f = internal.toEnum(format, formats, 'CompressionFormat');
      this.#transform = setUp(f, true, 'DecompressionStream');
    }

    get readable() {
      return apply(readableOf, this.#transform, []);
    }

    get writable() {
      return apply(writableOf, this.#transform, []);
    }
  }

  internal.makeInterface(CompressionStream);
  internal.makeInterface(DecompressionStream);
  internal.defineGlobal('CompressionStream', CompressionStream);
  internal.defineGlobal('DecompressionStream', DecompressionStream);
})
