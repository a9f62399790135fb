(function (native, internal) {
  'use strict';

  // XHR's FormData, and the two body formats Fetch uses for it: HTML's multipart/form-data
  // encoding (a FormData request body) and the multipart/form-data and
  // application/x-www-form-urlencoded parsers behind Body.formData().

  const { toUSVString, requireArgs, isBlob, isFile, blobToFile, blobChunks, blobConcat } = internal;
  const TASubarray = Object.getPrototypeOf(Uint8Array.prototype).subarray;
  const MathRandom = Math.random;

  // XHR's "create an entry" -> [name, value], value a string or a File.
  function createEntry(name, value, filename) {
    if (!isBlob(value)) return [name, value];
    if (!isFile(value)) {
      value = blobToFile(value, filename === undefined ? 'blob' : filename);
    } else if (filename !== undefined) {
      value = blobToFile(value, filename, internal.fileLastModified(value));
    }
    return [name, value];
  }

  // The overloads (name, USVString value) and (name, Blob value, optional filename), resolved
  // as Web IDL does: with three arguments only the Blob one applies.
  function entryFromArgs(args, where) {
    requireArgs(args.length, 2, where);
    const value = args[1];
    if (args.length >= 3) {
      if (!isBlob(value)) throw new TypeError(`${where}: parameter 2 is not a Blob`);
      const name = toUSVString(args[0]);
      return createEntry(name, value, toUSVString(args[2]));
    }
    const name = toUSVString(args[0]);
    return isBlob(value) ? createEntry(name, value, undefined) : [name, toUSVString(value)];
  }

  class FormData {
    #entries = []; // [[name, value], …] in order

    constructor(form = undefined, submitter = undefined) {
      // There are no form elements here, so any form argument fails its HTMLFormElement check.
      if (form !== undefined) throw new TypeError("FormData constructor: 'form' is not an HTMLFormElement");
      void submitter;
    }

    append(name, value, filename = undefined) {
      this.#entries.push(entryFromArgs(arguments, 'FormData.append'));
    }

    delete(name) {
      requireArgs(arguments.length, 1, 'FormData.delete');
      name = toUSVString(name);
      const list = this.#entries;
      let j = 0;
      for (let i = 0; i < list.length; i++) if (list[i][0] !== name) list[j++] = list[i];
      list.length = j;
    }

    get(name) {
      requireArgs(arguments.length, 1, 'FormData.get');
      name = toUSVString(name);
      const list = this.#entries;
      for (let i = 0; i < list.length; i++) if (list[i][0] === name) return list[i][1];
      return null;
    }

    getAll(name) {
      requireArgs(arguments.length, 1, 'FormData.getAll');
      name = toUSVString(name);
      const list = this.#entries;
      const out = [];
      for (let i = 0; i < list.length; i++) if (list[i][0] === name) out.push(list[i][1]);
      return out;
    }

    has(name) {
      requireArgs(arguments.length, 1, 'FormData.has');
      name = toUSVString(name);
      const list = this.#entries;
      for (let i = 0; i < list.length; i++) if (list[i][0] === name) return true;
      return false;
    }

    set(name, value, filename = undefined) {
      const entry = entryFromArgs(arguments, 'FormData.set');
      const list = this.#entries;
      let found = false;
      let j = 0;
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] !== entry[0]) list[j++] = list[i];
        else if (!found) {
          found = true;
          list[j++] = entry;
        }
      }
      list.length = j;
      if (!found) list.push(entry);
    }

    static {
      const entriesOf = (fd) => fd.#entries;
      internal.definePairIterable(FormData, 'FormData', entriesOf, entriesOf);
      internal.isFormData = (v) => v !== null && typeof v === 'object' && #entries in v;
      internal.formDataEntries = entriesOf;
      internal.formDataFromEntries = (list) => {
        const fd = new FormData();
        fd.#entries = list;
        return fd;
      };
    }
  }
  internal.makeInterface(FormData);

  // --- multipart/form-data encoding (HTML) --------------------------------------------------------

  const boundaryAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

  function newBoundary() {
    let b = '----eddyFormBoundary';
    for (let i = 0; i < 24; i++) b += boundaryAlphabet[(MathRandom() * 62) | 0];
    return b;
  }

  // Newlines in a name or a string value become CR LF; then, in names and filenames, LF, CR and
  // '"' are escaped as %0A, %0D and %22 (and nothing else is).
  const bareNewline = /\r(?!\n)|(?<!\r)\n/g;
  const normalizeNewlines = (s) => s.replace(bareNewline, '\r\n');
  const escapeField = (s) => s.replace(/[\n\r"]/g, (c) => (c === '\n' ? '%0A' : c === '\r' ? '%0D' : '%22'));

  // -> [bytes, boundary]. File contents are copied once, into the body.
  function encodeMultipart(entries) {
    const boundary = newBoundary();
    const pieces = [];
    let size = 0;
    let text = '';
    const flushText = () => {
      if (text === '') return;
      const bytes = native.utf8Encode(text);
      pieces.push(bytes);
      size += bytes.length;
      text = '';
    };
    for (let i = 0; i < entries.length; i++) {
      const [name, value] = entries[i];
      text += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeField(normalizeNewlines(name))}"`;
      if (typeof value === 'string') {
        text += `\r\n\r\n${normalizeNewlines(value)}\r\n`;
        continue;
      }
      const type = internal.blobType(value);
      text += `; filename="${escapeField(internal.fileName(value))}"\r\n` +
        `Content-Type: ${type === '' ? 'application/octet-stream' : type}\r\n\r\n`;
      flushText();
      const chunks = blobChunks(value);
      for (let j = 0; j < chunks.length; j++) {
        pieces.push(chunks[j]);
        size += chunks[j].length;
      }
      text = '\r\n';
    }
    text += `--${boundary}--\r\n`;
    flushText();
    return [blobConcat(pieces, size), boundary];
  }

  internal.encodeMultipart = (fd) => encodeMultipart(internal.formDataEntries(fd));

  // Fetch's "extract a body" of a FormData.
  (internal.bodyExtractors ??= []).push((v) => {
    if (!internal.isFormData(v)) return undefined;
    const [bytes, boundary] = encodeMultipart(internal.formDataEntries(v));
    return [bytes, `multipart/form-data; boundary=${boundary}`];
  });

  // --- multipart/form-data parsing (Fetch: per RFC 7578) -------------------------------------------

  const CR = 0x0D;
  const LF = 0x0A;
  const DASH = 0x2D;
  const isTabOrSpace = (b) => b === 0x20 || b === 0x09;
  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

  function parseError(why) {
    return new TypeError(`Body.formData: invalid multipart/form-data body (${why})`);
  }

  // Index of `needle` in `hay` at or after `from`, or -1.
  function indexOf(hay, needle, from) {
    const first = needle[0];
    const last = hay.length - needle.length;
    outer: for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
      for (let k = 1; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
      return i;
    }
    return -1;
  }

  function startsWith(hay, needle, at) {
    if (at + needle.length > hay.length) return false;
    for (let k = 0; k < needle.length; k++) if (hay[at + k] !== needle[k]) return false;
    return true;
  }

  const latin1 = (bytes, start, end) => {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s;
  };

  // A quoted name or filename: the bytes up to the next '"' (HTML escapes quotes as %22, never
  // with a backslash), UTF-8 decoded -> [value, position after it] or null. The escaping is one
  // way: %0A, %0D and %22 stay as they are, like any other percent sequence.
  function parseQuoted(bytes, i, end) {
    const start = i;
    while (i < end && bytes[i] !== 0x22) i++;
    if (i >= end) return null;
    return [native.utf8Decode(TASubarray.call(bytes, start, i), false), i + 1];
  }

  // Content-Disposition: form-data; name="…"[; filename="…"] (other parameters ignored; tokens
  // accepted as values too) -> { name, filename } or null.
  function parseContentDisposition(bytes, i, end) {
    const skipWs = () => {
      while (i < end && isTabOrSpace(bytes[i])) i++;
    };
    let j = i;
    while (j < end && bytes[j] !== 0x3B && !isTabOrSpace(bytes[j])) j++;
    if (latin1(bytes, i, j).toLowerCase() !== 'form-data') return null;
    i = j;
    let name = null;
    let filename = null;
    for (;;) {
      skipWs();
      if (i >= end) break;
      if (bytes[i] !== 0x3B) return null;
      i++;
      skipWs();
      j = i;
      while (j < end && bytes[j] !== 0x3D && bytes[j] !== 0x3B && !isTabOrSpace(bytes[j])) j++;
      const key = latin1(bytes, i, j).toLowerCase();
      i = j;
      skipWs();
      if (i >= end || bytes[i] !== 0x3D) return null;
      i++;
      skipWs();
      let value;
      if (i < end && bytes[i] === 0x22) {
        const q = parseQuoted(bytes, i + 1, end);
        if (q === null) return null;
        [value, i] = q;
      } else {
        j = i;
        while (j < end && bytes[j] !== 0x3B && !isTabOrSpace(bytes[j])) j++;
        value = native.utf8Decode(TASubarray.call(bytes, i, j), false);
        i = j;
      }
      if (key === 'name') name = value;
      else if (key === 'filename') filename = value;
    }
    return name === null ? null : { name, filename };
  }

  // -> a list of [name, value] entries; bytes: the whole body (File entries keep views into it).
  function parseMultipart(bytes, boundary) {
    if (boundary === '') throw parseError('empty boundary');
    const delim = native.utf8Encode(`--${boundary}`);
    const crlfDelim = native.utf8Encode(`\r\n--${boundary}`);
    const n = bytes.length;
    // The body starts with the first delimiter: no preamble.
    if (!startsWith(bytes, delim, 0)) throw parseError('the body does not start with a boundary delimiter');
    let pos = delim.length;
    const entries = [];
    for (;;) {
      // After a delimiter: "--" ends the body, then transport padding and CR LF (or the end),
      // after which an epilogue is ignored; else CR LF (after transport padding) starts a part.
      if (pos + 1 < n && bytes[pos] === DASH && bytes[pos + 1] === DASH) {
        pos += 2;
        while (pos < n && isTabOrSpace(bytes[pos])) pos++;
        if (pos === n || (pos + 1 < n && bytes[pos] === CR && bytes[pos + 1] === LF)) return entries;
        throw parseError('bytes after the close delimiter on its line');
      }
      while (pos < n && isTabOrSpace(bytes[pos])) pos++;
      if (pos + 1 >= n || bytes[pos] !== CR || bytes[pos + 1] !== LF) throw parseError('expected CR LF after a boundary');
      pos += 2;
      // Header lines up to an empty one.
      let disposition = null;
      const contentTypes = []; // a header list of the part's Content-Type lines, for "extract a MIME type"
      for (;;) {
        const eol = indexOf(bytes, [CR, LF], pos);
        if (eol < 0) throw parseError('unterminated part headers');
        if (eol === pos) {
          pos += 2;
          break;
        }
        // A header line ends at CR LF; a bare CR or LF, or a NUL, makes it malformed.
        for (let k = pos; k < eol; k++) {
          const b = bytes[k];
          if (b === CR || b === LF || b === 0) throw parseError('a CR, LF or NUL inside a header line');
        }
        let colon = pos;
        while (colon < eol && bytes[colon] !== 0x3A) colon++;
        if (colon === eol) throw parseError('a header line without a colon');
        const headerName = latin1(bytes, pos, colon).replace(/^[\t ]+|[\t ]+$/g, '');
        if (!tokenRe.test(headerName)) throw parseError('an invalid header name');
        let v = colon + 1;
        while (v < eol && isTabOrSpace(bytes[v])) v++;
        let vEnd = eol;
        while (vEnd > v && isTabOrSpace(bytes[vEnd - 1])) vEnd--;
        switch (headerName.toLowerCase()) {
          case 'content-disposition':
            disposition = parseContentDisposition(bytes, v, vEnd);
            if (disposition === null) throw parseError('an invalid Content-Disposition');
            break;
          case 'content-type':
            contentTypes.push('content-type', latin1(bytes, v, vEnd));
            break;
          default:
            break;
        }
        pos = eol + 2;
      }
      if (disposition === null) throw parseError('a part without Content-Disposition');
      const bodyEnd = indexOf(bytes, crlfDelim, pos);
      if (bodyEnd < 0) throw parseError('a part without a closing boundary');
      const body = TASubarray.call(bytes, pos, bodyEnd);
      pos = bodyEnd + crlfDelim.length;
      let value;
      if (disposition.filename !== null) {
        // No Content-Type: text/plain. Else Fetch's "extract a MIME type" of those headers (the
        // last valid one, serialized), or the empty string when none is valid.
        let type = 'text/plain';
        if (contentTypes.length > 0) {
          const mt = internal.extractMimeType(contentTypes);
          type = mt === null ? '' : internal.serializeMimeType(mt);
        }
        value = internal.fileFromBytes(body, type, disposition.filename, 0);
      } else {
        value = native.utf8Decode(body, false); // UTF-8 decode without BOM, whatever the charset
      }
      entries.push([toUSVString(disposition.name), value]);
    }
  }

  // Body.formData(): bytes is the whole body (a Uint8Array the body handed over).
  internal.bodyToFormData = (bytes, headerList) => {
    const mt = internal.extractMimeType(headerList);
    if (mt !== null && mt.essence === 'multipart/form-data') {
      const boundary = mt.params.get('boundary');
      if (boundary === undefined) throw parseError('no boundary in the Content-Type');
      return internal.formDataFromEntries(parseMultipart(bytes, boundary));
    }
    if (mt !== null && mt.essence === 'application/x-www-form-urlencoded') {
      internal.require('url.js');
      const list = internal.parseFormUrlencoded(native.utf8Decode(bytes, false));
      return internal.formDataFromEntries(list.map((p) => [p[0], p[1]]));
    }
    throw new TypeError('Body.formData: the Content-Type is neither multipart/form-data nor ' +
      'application/x-www-form-urlencoded');
  };

  internal.defineGlobal('FormData', FormData);
})
