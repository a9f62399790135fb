(function (native, internal) {
  'use strict';

  // CompressionStream and DecompressionStream (the Compression standard), each a TransformStream
  // set up over a native codec (src/web/compression.c): the coding runs in C, and a long chunk
  // runs on the thread pool, so that its transform returns a promise.

  const { TransformStream, TransformStreamEnqueue, TransformStreamBackpressure } = internal.streams;
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
  // the end of the compressed stream, thrown once what came before it is enqueued, and `true`
  // says that the codec stopped with more to come (→ true).
  function enqueueAll(controller, out) {
    for (let i = 0; i < out.length; i++) {
      const piece = out[i];
      if (piece === true) return true;
      if (typeof piece === 'string') throw new TypeError(piece);
      TransformStreamEnqueue(controller, piece);
    }
    return false;
  }

  // The chunk's transform (or the flush): undefined when its output is all enqueued now, else a
  // promise. A decompressing codec makes a megabyte at a time, and enqueues the next one only
  // once the readable side was read (its queue takes no more than that), so that its writes
  // wait for the reader and a chunk of a decompression bomb never makes all its output at once
  // (Node and Bun bound it too; the standard's enqueue-everything would hold it all).
  function push(codec, controller, bytes, finish) {
    const out = native.compressionPush(codec, bytes, finish);
    if (isArray(out)) return enqueueAll(controller, out) ? goOn(codec, controller, finish) : undefined;
    return apply(promiseThen, out, [(pieces) => {
      if (enqueueAll(controller, pieces)) return goOn(codec, controller, finish);
    }]);
  }

  // A loop, not a chain of promises resolved with promises, which would grow with the output.
  // Each step is made (on the pool) while the reader reads the one before, and enqueued once the
  // readable side wants more; an error too waits for that, so the output before it is read
  // first. A readable side cancelled meanwhile ends it: the rest of the output is not made.
  async function goOn(codec, controller, finish) {
    for (;;) {
      let out, error;
      try {
        const made = native.compressionPush(codec, null, finish);
        out = isArray(made) ? made : await made;
      } catch (e) {
        error = e;
      }
      for (;;) {
        const wait = TransformStreamBackpressure(controller);
        if (wait === null) return;
        if (wait === undefined) break;
        await wait;
      }
      if (out === undefined) throw error;
      if (!enqueueAll(controller, out)) return;
    }
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
