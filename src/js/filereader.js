(function (native, internal) {
  'use strict';

  // File API: FileReader, and XHR's ProgressEvent that its events are. A read takes the Blob's
  // bytes (immutable chunks shared with the Blob, blob.js) and reports through tasks, as the
  // spec's read operation queues them: loadstart, progress once the bytes are in, then load (or
  // error) and loadend. abort() drops the tasks of the read it stops. A read in progress is a
  // timer, so it keeps `eddy file.js` alive.

  const { Event, EventTarget, DOMException, requireArgs, toDOMString, toDictionary } = internal;
  const setTimeoutFn = internal.intrinsics.setTimeout;
  const { defineEventHandler, defineConstants, makeInterface } = internal;
  const fromCharCode = String.fromCharCode;
  const ReflectApply = Reflect.apply;

  const EMPTY = 0;
  const LOADING = 1;
  const DONE = 2;

  // --- ProgressEvent (XMLHttpRequest standard) ---------------------------------------------------

  class ProgressEvent extends Event {
    #lengthComputable = false;
    #loaded = 0;
    #total = 0;

    constructor(type, eventInitDict = undefined) {
      requireArgs(arguments.length, 1, 'ProgressEvent constructor');
      super(type, eventInitDict);
      // ProgressEventInit's own members, in lexicographic order.
      const init = toDictionary(eventInitDict, 'ProgressEventInit');
      if (init !== null) {
        const { lengthComputable, loaded, total } = init;
        if (lengthComputable !== undefined) this.#lengthComputable = !!lengthComputable;
        if (loaded !== undefined) this.#loaded = toUnsignedLongLong(loaded);
        if (total !== undefined) this.#total = toUnsignedLongLong(total);
      }
    }

    get lengthComputable() { return this.#lengthComputable; }
    get loaded() { return this.#loaded; }
    get total() { return this.#total; }
  }
  makeInterface(ProgressEvent);

  // unsigned long long (no [EnforceRange]): modulo 2^64, as a double.
  function toUnsignedLongLong(v) {
    const x = +v;
    if (!Number.isFinite(x)) return 0;
    let t = Math.trunc(x) % 18446744073709551616;
    if (t < 0) t += 18446744073709551616;
    return t === 0 ? 0 : t;
  }

  // --- package data ----------------------------------------------------------------------------

  // A binary string of the bytes, 8 KiB of them per fromCharCode call (argument count limits).
  function binaryString(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      s += ReflectApply(fromCharCode, null, bytes.subarray(i, i + 8192));
    }
    return s;
  }

  // Encodings whose decoder is the standard's "replacement" one (TextDecoder refuses those).
  const replacementLabels = new Set(['csiso2022kr', 'hz-gb-2312', 'iso-2022-cn', 'iso-2022-cn-ext',
    'iso-2022-kr', 'replacement']);

  // The spec's "package data" step for Text: the encoding is the label's if it names one, else
  // the Blob type's charset, else UTF-8; then Encoding's "decode", whose BOM sniffing overrides
  // it (and strips the BOM).
  function decodeText(bytes, mimeType, encodingName) {
    internal.require('encoding.js');
    const { getEncoding, TextDecoder } = internal;
    let encoding = encodingName === undefined ? null : getEncoding(encodingName);
    if (encoding === null && mimeType !== '') {
      const t = internal.parseMimeType(mimeType);
      if (t !== null && t.params.has('charset')) encoding = getEncoding(t.params.get('charset'));
    }
    if (encoding === null) encoding = 'utf-8';
    const b0 = bytes[0];
    const b1 = bytes[1];
    if (b0 === 0xEF && b1 === 0xBB && bytes[2] === 0xBF) encoding = 'utf-8';
    else if (b0 === 0xFE && b1 === 0xFF) encoding = 'utf-16be';
    else if (b0 === 0xFF && b1 === 0xFE) encoding = 'utf-16le';
    else if (encoding === 'replacement' || replacementLabels.has(encoding)) return bytes.length === 0 ? '' : '\uFFFD';
    else return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
    // A BOM of the sniffed encoding: the decoder strips it.
    return new TextDecoder(encoding).decode(bytes);
  }

  function packageData(bytes, type, mimeType, encodingName) {
    switch (type) {
      case 'DataURL':
        // As browsers (and WPT) do: a Blob without a type is application/octet-stream.
        return `data:${mimeType === '' ? 'application/octet-stream' : mimeType};base64,` +
          native.base64Encode(binaryString(bytes));
      case 'Text':
        return decodeText(bytes, mimeType, encodingName);
      case 'ArrayBuffer':
        return bytes.buffer;
      default: // BinaryString
        return binaryString(bytes);
    }
  }

  // --- FileReader -----------------------------------------------------------------------------------

  function toBlob(v, where) {
    // No Blob exists before blob.js is installed (internal.isBlob is undefined until then).
    const isBlob = internal.isBlob;
    if (isBlob === undefined || !isBlob(v)) throw new TypeError(`${where}: parameter 1 is not of type 'Blob'`);
    return v;
  }

  class FileReader extends EventTarget {
    #state = EMPTY;
    #result = null;
    #error = null;
    #read = null; // the read in progress: its tasks run only while this is still it

    constructor() {
      super();
    }

    readAsArrayBuffer(blob) {
      requireArgs(arguments.length, 1, 'FileReader.readAsArrayBuffer');
      this.#start(toBlob(blob, 'FileReader.readAsArrayBuffer'), 'ArrayBuffer', undefined);
    }

    readAsBinaryString(blob) {
      requireArgs(arguments.length, 1, 'FileReader.readAsBinaryString');
      this.#start(toBlob(blob, 'FileReader.readAsBinaryString'), 'BinaryString', undefined);
    }

    readAsText(blob, encoding = undefined) {
      requireArgs(arguments.length, 1, 'FileReader.readAsText');
      toBlob(blob, 'FileReader.readAsText');
      this.#start(blob, 'Text', encoding === undefined ? undefined : toDOMString(encoding));
    }

    readAsDataURL(blob) {
      requireArgs(arguments.length, 1, 'FileReader.readAsDataURL');
      this.#start(toBlob(blob, 'FileReader.readAsDataURL'), 'DataURL', undefined);
    }

    abort() {
      if (this.#state === EMPTY || this.#state === DONE) {
        this.#result = null;
        return;
      }
      this.#state = DONE;
      this.#result = null;
      this.#read = null; // the read's queued tasks now do nothing
      this.#fire('abort', 0, 0);
      if (this.#state !== LOADING) this.#fire('loadend', 0, 0);
    }

    get readyState() { return this.#state; }
    get result() { return this.#result; }
    get error() { return this.#error; }

    // The read operation. The blob's bytes are all in memory: its chunks are the stream's, read
    // at once; each step the spec queues as a task still is one, in order.
    #start(blob, type, encodingName) {
      if (this.#state === LOADING) {
        throw new DOMException('FileReader: a read is already in progress', 'InvalidStateError');
      }
      this.#state = LOADING;
      this.#result = null;
      this.#error = null;
      const read = { blob, type, encodingName };
      this.#read = read;
      const total = internal.blobSize(blob);
      this.#task(read, () => {
        this.#fire('loadstart', 0, total);
        if (total > 0) this.#task(read, () => this.#progress(read, total));
        else this.#task(read, () => this.#finish(read));
      });
    }

    #progress(read, total) {
      this.#fire('progress', total, total);
      this.#task(read, () => this.#finish(read));
    }

    #finish(read) {
      const blob = read.blob;
      const size = internal.blobSize(blob);
      this.#state = DONE;
      this.#read = null;
      let result;
      let failed = false;
      try {
        const bytes = internal.blobConcat(internal.blobChunks(blob), size);
        result = packageData(bytes, read.type, internal.blobType(blob), read.encodingName);
      } catch (err) {
        failed = true;
        this.#error = err instanceof DOMException ? err : new DOMException(String(err && err.message), 'NotReadableError');
      }
      if (failed) {
        this.#fire('error', 0, size);
      } else {
        this.#result = result;
        this.#fire('load', size, size);
      }
      // A load or error handler may have started another read: its loadend is not this one's.
      if (this.#state !== LOADING) this.#fire('loadend', failed ? 0 : size, size);
    }

    // Queues a task of `read` (the file reading task source): it does nothing once the read was
    // aborted or replaced.
    #task(read, step) {
      setTimeoutFn(() => {
        if (this.#read === read) step();
      }, 0);
    }

    #fire(type, loaded, total) {
      internal.fireEvent(this, new ProgressEvent(type, { lengthComputable: true, loaded, total }));
    }
  }
  makeInterface(FileReader);
  defineConstants(FileReader, { EMPTY, LOADING, DONE });
  for (const type of ['loadstart', 'progress', 'load', 'abort', 'error', 'loadend']) {
    defineEventHandler(FileReader.prototype, type);
  }

  internal.defineGlobal('FileReader', FileReader);
  internal.defineGlobal('ProgressEvent', ProgressEvent);
})
