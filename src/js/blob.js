(function (native, internal) {
  'use strict';

  // File API: Blob and File. A blob's bytes are a list of Uint8Array chunks over buffers that no
  // script can reach, so they never change: a blob made of other blobs, a slice, a File made from a
  // Blob (FormData) and a structured clone all share those chunks instead of copying them. Bytes
  // are copied once when they come in (strings are encoded, buffer sources copied, consecutive
  // ones into one chunk) and once when they go out (arrayBuffer(), bytes(), a request body).

  const { toDOMString, toUSVString, toEnum, toDictionary, requireArgs, isArrayBuffer } = internal;
  const { PromiseCtor, promiseResolve } = internal.intrinsics;
  const { getOwnPropertyDescriptor, getPrototypeOf } = Object;

  const ArrayBufferIsView = ArrayBuffer.isView;
  const Uint8ArrayCtor = Uint8Array;
  const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const TASet = TypedArrayProto.set;
  const TASubarray = TypedArrayProto.subarray;
  const ABResizable = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')
    ? getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable').get : null;
  const getterOf = (o, k) => getOwnPropertyDescriptor(o, k).get;
  const ABByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
  const TATag = getterOf(TypedArrayProto, Symbol.toStringTag);
  const TABuffer = getterOf(TypedArrayProto, 'buffer');
  const TAByteOffset = getterOf(TypedArrayProto, 'byteOffset');
  const TAByteLength = getterOf(TypedArrayProto, 'byteLength');
  const DVBuffer = getterOf(DataView.prototype, 'buffer');
  const DVByteOffset = getterOf(DataView.prototype, 'byteOffset');
  const DVByteLength = getterOf(DataView.prototype, 'byteLength');
  const DateNow = Date.now;
  const SymbolIterator = Symbol.iterator;
  const ReflectApply = Reflect.apply;

  const kInternal = Symbol('internal');
  const STREAM_CHUNK = 65536;
  const resolved = (v) => promiseResolve.call(PromiseCtor, v);
  const rejected = (err) => new PromiseCtor((_, reject) => reject(err));

  // --- bytes --------------------------------------------------------------------------------------

  // One new Uint8Array holding all the chunks' bytes.
  function concat(chunks, size) {
    const out = new Uint8ArrayCtor(size);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      TASet.call(out, chunks[i], at);
      at += chunks[i].length;
    }
    return out;
  }

  // The chunks covering [start, end) of a chunk list, as views (no copy).
  function sliceChunks(chunks, start, end) {
    const out = [];
    let pos = 0;
    for (let i = 0; i < chunks.length && pos < end; i++) {
      const c = chunks[i];
      const next = pos + c.length;
      if (next > start) {
        const from = start > pos ? start - pos : 0;
        const to = end < next ? end - pos : c.length;
        out.push(from === 0 && to === c.length ? c : TASubarray.call(c, from, to));
      }
      pos = next;
    }
    return out;
  }

  // The UTF-8 decode of Encoding (BOM stripped, errors replaced).
  function utf8Decode(bytes) {
    const s = native.utf8Decode(bytes, false);
    return s.charCodeAt(0) === 0xFEFF ? s.slice(1) : s;
  }

  // --- Web IDL conversions --------------------------------------------------------------------------

  const isResizable = (buf) => ABResizable !== null && ABResizable.call(buf);

  // One BlobPart: (BufferSource or Blob or USVString). Buffer sources are kept by reference
  // here and copied only once all arguments are converted, as the constructor's steps do.
  function convertBlobPart(v, where) {
    if (v !== null && typeof v === 'object') {
      if (isBlob(v)) return v;
      if (ArrayBufferIsView(v)) {
        const buf = TATag.call(v) !== undefined ? TABuffer.call(v) : DVBuffer.call(v);
        if (isResizable(buf)) throw new TypeError(`${where}: a view on a resizable ArrayBuffer is not a BufferSource`);
        return v;
      }
      if (isArrayBuffer(v)) {
        if (isResizable(v)) throw new TypeError(`${where}: a resizable ArrayBuffer is not a BufferSource`);
        return v;
      }
    }
    return toUSVString(v);
  }

  // sequence<BlobPart>: the iterable is walked once, each element converted as it comes.
  function convertBlobParts(v, where) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      throw new TypeError(`${where}: the parts must be a sequence (an iterable object)`);
    }
    const method = v[SymbolIterator];
    if (method === undefined || method === null) throw new TypeError(`${where}: the parts are not iterable`);
    if (typeof method !== 'function') throw new TypeError(`${where}: the parts' @@iterator is not callable`);
    const it = ReflectApply(method, v, []);
    if (it === null || (typeof it !== 'object' && typeof it !== 'function')) {
      throw new TypeError(`${where}: the parts' iterator is not an object`);
    }
    const next = it.next;
    const parts = [];
    for (;;) {
      const r = ReflectApply(next, it, []);
      if (r === null || (typeof r !== 'object' && typeof r !== 'function')) {
        throw new TypeError(`${where}: an iterator result is not an object`);
      }
      if (r.done) return parts;
      parts.push(convertBlobPart(r.value, where));
    }
  }

  const endingTypes = new Set(['transparent', 'native']);

  // BlobPropertyBag's members, in lexicographic order: endings, type.
  function convertBlobPropertyBag(d, out) {
    const endings = d === null ? undefined : d.endings;
    out.endings = endings === undefined ? 'transparent' : toEnum(endings, endingTypes, 'endings');
    const type = d === null ? undefined : d.type;
    out.type = type === undefined ? '' : toDOMString(type);
    return out;
  }

  // A type of printable ASCII, lower-cased; anything else becomes the empty string.
  const printableAscii = /^[\x20-\x7E]*$/;
  function normalizeType(t) {
    return printableAscii.test(t) ? t.toLowerCase() : '';
  }

  // "Convert line endings to native": LF on the systems eddy runs on.
  const lineEndings = /\r\n|\r/g;
  const hasCR = /\r/;

  // The constructor's "process blob parts" -> [chunks, size].
  function processBlobParts(parts, endings) {
    const chunks = [];
    let size = 0;
    let pending = []; // fresh bytes (from strings and buffer sources) not yet in a chunk
    let pendingSize = 0;
    const flush = () => {
      if (pendingSize > 0) chunks.push(pending.length === 1 ? pending[0] : concat(pending, pendingSize));
      pending = [];
      pendingSize = 0;
    };
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      let bytes;
      if (typeof p === 'string') {
        const s = endings === 'native' && hasCR.test(p) ? p.replace(lineEndings, '\n') : p;
        bytes = native.utf8Encode(s);
      } else if (isBlob(p)) {
        const b = blobChunks(p);
        if (b.length > 0) {
          flush();
          for (let j = 0; j < b.length; j++) {
            chunks.push(b[j]);
            size += b[j].length;
          }
        }
        continue;
      } else {
        bytes = copyBufferSource(p);
      }
      if (bytes.length > 0) {
        pending.push(bytes);
        pendingSize += bytes.length;
        size += bytes.length;
      }
    }
    flush();
    return [chunks, size];
  }

  // A copy of n bytes of buf from off (TypedArray set: no species lookup, unlike slice).
  function copyBytes(buf, off, n) {
    const out = new Uint8ArrayCtor(n);
    if (n > 0) TASet.call(out, new Uint8ArrayCtor(buf, off, n));
    return out;
  }

  // Web IDL's "get a copy of the bytes held by the buffer source", read through the intrinsic
  // getters (a detached buffer holds no bytes).
  function copyBufferSource(v) {
    if (!ArrayBufferIsView(v)) {
      const n = ABByteLength.call(v);
      return copyBytes(v, 0, n);
    }
    let buf;
    let off;
    let n;
    if (TATag.call(v) !== undefined) {
      buf = TABuffer.call(v);
      off = TAByteOffset.call(v);
      n = TAByteLength.call(v);
    } else {
      buf = DVBuffer.call(v);
      try {
        off = DVByteOffset.call(v);
        n = DVByteLength.call(v);
      } catch {
        n = 0; // detached
      }
    }
    return copyBytes(buf, off, n);
  }

  // [Clamp] long long: NaN is 0, halves round to even.
  function toClampedLongLong(v) {
    let x = +v;
    if (x !== x) return 0;
    if (x < -9223372036854775808) x = -9223372036854775808;
    else if (x > 9223372036854775807) x = 9223372036854775807;
    const f = Math.floor(x);
    const d = x - f;
    const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
    return r === 0 ? 0 : r;
  }

  // long long (no [Clamp] or [EnforceRange]): wraps modulo 2^64.
  function toLongLong(v) {
    const x = +v;
    if (!Number.isFinite(x)) return 0;
    let t = Math.trunc(x);
    if (t < -9223372036854775808 || t >= 9223372036854775808) {
      t %= 18446744073709551616;
      if (t >= 9223372036854775808) t -= 18446744073709551616;
      else if (t < -9223372036854775808) t += 18446744073709551616;
    }
    return t === 0 ? 0 : t;
  }

  // --- Blob ------------------------------------------------------------------------------------------

  let isBlob;
  let blobChunks;
  let makeBlob;

  class Blob {
    #chunks;
    #size;
    #type;

    constructor(blobParts = undefined, options = undefined) {
      if (blobParts === kInternal) {
        // options: { chunks, size, type } from this file.
        this.#chunks = options.chunks;
        this.#size = options.size;
        this.#type = options.type;
        return;
      }
      const parts = blobParts === undefined ? [] : convertBlobParts(blobParts, 'Blob constructor');
      const bag = convertBlobPropertyBag(toDictionary(options, 'BlobPropertyBag'), {});
      const [chunks, size] = processBlobParts(parts, bag.endings);
      this.#chunks = chunks;
      this.#size = size;
      this.#type = normalizeType(bag.type);
    }

    get size() { return this.#size; }
    get type() { return this.#type; }

    slice(start = undefined, end = undefined, contentType = undefined) {
      const size = this.#size;
      let relativeStart = 0;
      if (start !== undefined) {
        const s = toClampedLongLong(start);
        relativeStart = s < 0 ? Math.max(size + s, 0) : Math.min(s, size);
      }
      let relativeEnd = size;
      if (end !== undefined) {
        const e = toClampedLongLong(end);
        relativeEnd = e < 0 ? Math.max(size + e, 0) : Math.min(e, size);
      }
      const type = contentType === undefined ? '' : normalizeType(toDOMString(contentType));
      const span = Math.max(relativeEnd - relativeStart, 0);
      const chunks = span === 0 ? [] : sliceChunks(this.#chunks, relativeStart, relativeStart + span);
      return new Blob(kInternal, { chunks, size: span, type });
    }

    text() {
      if (!isBlob(this)) return rejected(new TypeError('Blob.text: illegal invocation'));
      const c = this.#chunks;
      return resolved(utf8Decode(c.length === 1 ? c[0] : concat(c, this.#size)));
    }

    arrayBuffer() {
      if (!isBlob(this)) return rejected(new TypeError('Blob.arrayBuffer: illegal invocation'));
      return resolved(concat(this.#chunks, this.#size).buffer);
    }

    bytes() {
      if (!isBlob(this)) return rejected(new TypeError('Blob.bytes: illegal invocation'));
      return resolved(concat(this.#chunks, this.#size));
    }

    // File API's "get stream": a byte stream of the bytes, a copy of at most STREAM_CHUNK bytes
    // per pull (the stream takes each chunk's buffer over; the blob's own never leave it).
    stream() {
      if (!isBlob(this)) throw new TypeError('Blob.stream: illegal invocation');
      internal.require('streams.js');
      const S = internal.streams;
      const chunks = this.#chunks;
      let i = 0;
      let at = 0;
      let c = null;
      const pull = () => {
        while (i < chunks.length && at >= chunks[i].length) {
          i++;
          at = 0;
        }
        if (i >= chunks.length) {
          S.ReadableByteStreamControllerClose(c);
          if (S.ReadableByteStreamControllerGetBYOBRequest(c) !== null) S.ReadableByteStreamControllerRespond(c, 0);
          return undefined;
        }
        const chunk = chunks[i];
        const end = chunk.length - at > STREAM_CHUNK ? at + STREAM_CHUNK : chunk.length;
        const piece = new Uint8ArrayCtor(end - at);
        TASet.call(piece, TASubarray.call(chunk, at, end));
        at = end;
        S.ReadableByteStreamControllerEnqueue(c, piece);
        return undefined;
      };
      const stream = S.CreateReadableByteStream(() => undefined, () => {
        try {
          return resolved(pull());
        } catch (err) {
          return rejected(err);
        }
      }, () => resolved(undefined));
      c = S.readableRecord(stream).controller;
      return stream;
    }

    static {
      isBlob = (v) => v !== null && typeof v === 'object' && #chunks in v;
      blobChunks = (b) => b.#chunks;
      makeBlob = (chunks, size, type) => new Blob(kInternal, { chunks, size, type });
      internal.blobSize = (b) => b.#size;
      internal.blobType = (b) => b.#type;
    }
  }
  internal.makeInterface(Blob);

  // --- File ----------------------------------------------------------------------------------------

  let isFile;
  let makeFile;

  class File extends Blob {
    #name;
    #lastModified;

    constructor(fileBits, fileName, options = undefined) {
      if (fileBits === kInternal) {
        // fileName: { chunks, size, type, name, lastModified } from this file.
        super(kInternal, fileName);
        this.#name = fileName.name;
        this.#lastModified = fileName.lastModified;
        return;
      }
      requireArgs(arguments.length, 2, 'File constructor');
      const parts = convertBlobParts(fileBits, 'File constructor');
      const name = toUSVString(fileName);
      // FilePropertyBag: BlobPropertyBag's members (endings, type), then lastModified.
      const d = toDictionary(options, 'FilePropertyBag');
      const bag = convertBlobPropertyBag(d, {});
      const lm = d === null ? undefined : d.lastModified;
      const lastModified = lm === undefined ? DateNow() : toLongLong(lm);
      const [chunks, size] = processBlobParts(parts, bag.endings);
      super(kInternal, { chunks, size, type: normalizeType(bag.type) });
      this.#name = name;
      this.#lastModified = lastModified;
    }

    get name() { return this.#name; }
    get lastModified() { return this.#lastModified; }

    static {
      isFile = (v) => v !== null && typeof v === 'object' && #name in v;
      makeFile = (chunks, size, type, name, lastModified) =>
        new File(kInternal, { chunks, size, type, name, lastModified });
      internal.fileName = (f) => f.#name;
      internal.fileLastModified = (f) => f.#lastModified;
    }
  }
  internal.makeInterface(File);

  // --- for other files ------------------------------------------------------------------------------

  internal.isBlob = isBlob;
  internal.isFile = isFile;
  internal.blobChunks = blobChunks;
  internal.blobConcat = concat;
  internal.blobSliceChunks = sliceChunks;
  // Takes ownership of `bytes` (a Uint8Array nothing else refers to).
  internal.blobFromBytes = (bytes, type) => makeBlob(bytes.length > 0 ? [bytes] : [], bytes.length, type);
  internal.makeFile = makeFile;
  internal.fileFromBytes = (bytes, type, name, lastModified) =>
    makeFile(bytes.length > 0 ? [bytes] : [], bytes.length, type, name, lastModified);
  // FormData's "create an entry": a File named `name` with the bytes and type of blob (kept as
  // they are: a Blob's type is already normalized, a body's may be any MIME type).
  internal.blobToFile = (blob, name, lastModified) => makeFile(blobChunks(blob), internal.blobSize(blob),
    internal.blobType(blob), name, lastModified === undefined ? DateNow() : lastModified);
  internal.normalizeBlobType = normalizeType;

  // Structured clone (clone.js): [[SnapshotState]] and [[ByteSequence]], plus type, name and
  // lastModified. A subclass instance clones as the Blob or File it is.
  internal.blobSerialize = (v) => {
    if (!isBlob(v)) return undefined;
    const data = { chunks: blobChunks(v), size: internal.blobSize(v), type: internal.blobType(v),
      file: false, name: '', lastModified: 0 };
    if (isFile(v)) {
      data.file = true;
      data.name = internal.fileName(v);
      data.lastModified = internal.fileLastModified(v);
    }
    return data;
  };
  internal.blobDeserialize = (d) => (d.file
    ? makeFile(d.chunks, d.size, d.type, d.name, d.lastModified)
    : makeBlob(d.chunks, d.size, d.type));

  // Fetch's "extract a body" of a Blob: its bytes (copied: a body hands out its buffer), and its
  // type as Content-Type unless empty.
  (internal.bodyExtractors ??= []).push((v) => {
    if (!isBlob(v)) return undefined;
    const type = internal.blobType(v);
    return [concat(blobChunks(v), internal.blobSize(v)), type === '' ? null : type];
  });

  // Fetch's "extract a MIME type" from a header list -> { essence, params } or null.
  // (internal.parseMimeType installs fetch_mime.js on first use: see internal.js's lazyFiles.)
  function extractMimeType(headerList) {
    const value = internal.headersListGet(headerList, 'content-type');
    if (value === null) return null;
    let charset = null;
    let essence = null;
    let mimeType = null;
    for (const v of getDecodeSplit(value)) {
      const t = internal.parseMimeType(v);
      if (t === null || t.essence === '*/*') continue;
      mimeType = t;
      if (t.essence !== essence) {
        charset = t.params.has('charset') ? t.params.get('charset') : null;
        essence = t.essence;
      } else if (!t.params.has('charset') && charset !== null) {
        t.params.set('charset', charset);
      }
    }
    return mimeType;
  }

  // Fetch's "get, decode, and split" of a header value: commas outside quoted strings split it.
  function getDecodeSplit(input) {
    const values = [];
    let position = 0;
    let temporaryValue = '';
    for (;;) {
      let start = position;
      while (position < input.length && input[position] !== '"' && input[position] !== ',') position++;
      temporaryValue += input.slice(start, position);
      if (position < input.length && input[position] === '"') {
        // Collect an HTTP quoted string, keeping the quotes and escapes as they are.
        start = position;
        position++;
        for (;;) {
          while (position < input.length && input[position] !== '"' && input[position] !== '\\') position++;
          if (position >= input.length) break;
          const q = input[position++];
          if (q === '\\') {
            if (position >= input.length) break;
            position++;
          } else {
            break;
          }
        }
        temporaryValue += input.slice(start, position);
        if (position < input.length) continue;
      }
      values.push(temporaryValue.replace(/^[\t ]+|[\t ]+$/g, ''));
      temporaryValue = '';
      if (position >= input.length) return values;
      position++; // ','
    }
  }

  internal.extractMimeType = extractMimeType;

  // Body.blob(): bytes is a Uint8Array the body hands over; the type is the headers' MIME type.
  internal.bodyToBlob = (bytes, headerList) => {
    const mt = extractMimeType(headerList);
    return internal.blobFromBytes(bytes, mt === null ? '' : internal.serializeMimeType(mt));
  };

  internal.defineGlobal('Blob', Blob);
  internal.defineGlobal('File', File);
})
