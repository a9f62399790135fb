(function (native, internal) {
  'use strict';

  // Encoding Standard. TextEncoder is UTF-8 only (as the standard says); TextDecoder knows every
  // encoding of the standard. The byte work is native: utf8Encode/utf8EncodeInto/utf8Decode,
  // and decode (src/web/encoding_legacy.c) for the other encodings, whose decoder state this
  // file keeps between streaming calls; this file adds labels, BOM handling and UTF-8's
  // streaming.

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

  // The Encoding Standard's labels (its "Encodings" table): name → labels. A label is matched
  // after ASCII whitespace is trimmed and ASCII upper case lowered.
  const encodingLabels = {
    'utf-8': ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'],
    'ibm866': ['866', 'cp866', 'csibm866', 'ibm866'],
    'iso-8859-2': ['csisolatin2', 'iso-8859-2', 'iso-ir-101', 'iso8859-2', 'iso88592', 'iso_8859-2', 'iso_8859-2:1987', 'l2', 'latin2'],
    'iso-8859-3': ['csisolatin3', 'iso-8859-3', 'iso-ir-109', 'iso8859-3', 'iso88593', 'iso_8859-3', 'iso_8859-3:1988', 'l3', 'latin3'],
    'iso-8859-4': ['csisolatin4', 'iso-8859-4', 'iso-ir-110', 'iso8859-4', 'iso88594', 'iso_8859-4', 'iso_8859-4:1988', 'l4', 'latin4'],
    'iso-8859-5': ['csisolatincyrillic', 'cyrillic', 'iso-8859-5', 'iso-ir-144', 'iso8859-5', 'iso88595', 'iso_8859-5', 'iso_8859-5:1988'],
    'iso-8859-6': ['arabic', 'asmo-708', 'csiso88596e', 'csiso88596i', 'csisolatinarabic', 'ecma-114', 'iso-8859-6', 'iso-8859-6-e', 'iso-8859-6-i', 'iso-ir-127', 'iso8859-6', 'iso88596', 'iso_8859-6', 'iso_8859-6:1987'],
    'iso-8859-7': ['csisolatingreek', 'ecma-118', 'elot_928', 'greek', 'greek8', 'iso-8859-7', 'iso-ir-126', 'iso8859-7', 'iso88597', 'iso_8859-7', 'iso_8859-7:1987', 'sun_eu_greek'],
    'iso-8859-8': ['csiso88598e', 'csisolatinhebrew', 'hebrew', 'iso-8859-8', 'iso-8859-8-e', 'iso-ir-138', 'iso8859-8', 'iso88598', 'iso_8859-8', 'iso_8859-8:1988', 'visual'],
    'iso-8859-8-i': ['csiso88598i', 'iso-8859-8-i', 'logical'],
    'iso-8859-10': ['csisolatin6', 'iso-8859-10', 'iso-ir-157', 'iso8859-10', 'iso885910', 'l6', 'latin6'],
    'iso-8859-13': ['iso-8859-13', 'iso8859-13', 'iso885913'],
    'iso-8859-14': ['iso-8859-14', 'iso8859-14', 'iso885914'],
    'iso-8859-15': ['csisolatin9', 'iso-8859-15', 'iso8859-15', 'iso885915', 'iso_8859-15', 'l9'],
    'iso-8859-16': ['iso-8859-16'],
    'koi8-r': ['cskoi8r', 'koi', 'koi8', 'koi8-r', 'koi8_r'],
    'koi8-u': ['koi8-ru', 'koi8-u'],
    'macintosh': ['csmacintosh', 'mac', 'macintosh', 'x-mac-roman'],
    'windows-874': ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911', 'tis-620', 'windows-874'],
    'windows-1250': ['cp1250', 'windows-1250', 'x-cp1250'],
    'windows-1251': ['cp1251', 'windows-1251', 'x-cp1251'],
    'windows-1252': ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252', 'x-cp1252'],
    'windows-1253': ['cp1253', 'windows-1253', 'x-cp1253'],
    'windows-1254': ['cp1254', 'csisolatin5', 'iso-8859-9', 'iso-ir-148', 'iso8859-9', 'iso88599', 'iso_8859-9', 'iso_8859-9:1989', 'l5', 'latin5', 'windows-1254', 'x-cp1254'],
    'windows-1255': ['cp1255', 'windows-1255', 'x-cp1255'],
    'windows-1256': ['cp1256', 'windows-1256', 'x-cp1256'],
    'windows-1257': ['cp1257', 'windows-1257', 'x-cp1257'],
    'windows-1258': ['cp1258', 'windows-1258', 'x-cp1258'],
    'x-mac-cyrillic': ['x-mac-cyrillic', 'x-mac-ukrainian'],
    'gbk': ['chinese', 'csgb2312', 'csiso58gb231280', 'gb2312', 'gb_2312', 'gb_2312-80', 'gbk', 'iso-ir-58', 'x-gbk'],
    'gb18030': ['gb18030'],
    'big5': ['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5'],
    'euc-jp': ['cseucpkdfmtjapanese', 'euc-jp', 'x-euc-jp'],
    'iso-2022-jp': ['csiso2022jp', 'iso-2022-jp'],
    'shift_jis': ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'shift_jis', 'sjis', 'windows-31j', 'x-sjis'],
    'euc-kr': ['cseuckr', 'csksc56011987', 'euc-kr', 'iso-ir-149', 'korean', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'windows-949'],
    'replacement': ['csiso2022kr', 'hz-gb-2312', 'iso-2022-cn', 'iso-2022-cn-ext', 'iso-2022-kr', 'replacement'],
    'utf-16be': ['unicodefffe', 'utf-16be'],
    'utf-16le': ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le'],
    'x-user-defined': ['x-user-defined'],
  };
  let labelMap = null; // label → name, made on the first look-up

  const asciiWhitespaceEdges = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;

  // The standard's "get an encoding": its name, or null for an unknown label.
  function getEncoding(label) {
    if (labelMap === null) {
      labelMap = new Map();
      for (const name of Object.keys(encodingLabels)) {
        for (const l of encodingLabels[name]) labelMap.set(l, name);
      }
    }
    const key = String(label).replace(asciiWhitespaceEdges, '');
    // Labels are ASCII: lowering only ASCII keeps e.g. U+212A KELVIN SIGN from matching "k".
    const name = labelMap.get(key.replace(/[A-Z]+/g, (c) => c.toLowerCase()));
    return name === undefined ? null : name;
  }

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

  // A SharedArrayBuffer (TextDecoder takes AllowSharedBufferSource); false where there is none.
  const sharedByteLength = typeof SharedArrayBuffer === 'function'
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get : null;
  function isSharedArrayBuffer(v) {
    if (sharedByteLength === null || typeof v !== 'object' || v === null) return false;
    // A view or an ArrayBuffer is none: decided without the throwing brand check, which costs
    // more than decoding a small streamed chunk.
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return false;
    try {
      sharedByteLength.call(v);
      return true;
    } catch {
      return false;
    }
  }

  // Where the standard's decode strips a leading BOM (the UTF encodings).
  const bomEncodings = new Set(['utf-8', 'utf-16le', 'utf-16be']);
  const decoderErrorMessage = 'The encoded data was not valid.';

  class TextDecoder {
    #encoding;
    #id; // native.decode's number for encodings other than UTF-8
    #state = null; // their decoder's state, resumed by decode(…, {stream: true})
    #fatal;
    #ignoreBOM;
    #bomSeen = false;
    #doNotFlush = false;
    #pending = null;

    constructor(label = 'utf-8', options = undefined) {
      const name = getEncoding(toDOMString(label));
      if (name === null || name === 'replacement') {
        const l = String(label);
        const shown = l.length > 100 ? `'${l.slice(0, 100)}…'` : `'${l}'`;
        throw new RangeError(`TextDecoder: the encoding ${shown} is not supported`);
      }
      const opts = toDictionary(options, 'TextDecoderOptions');
      this.#encoding = name;
      this.#id = name === 'utf-8' ? 0 : native.decoderId(name);
      this.#fatal = opts !== null && !!opts.fatal;
      this.#ignoreBOM = opts !== null && !!opts.ignoreBOM;
    }

    get encoding() {
      return this.#encoding;
    }

    get fatal() {
      return this.#fatal;
    }

    get ignoreBOM() {
      return this.#ignoreBOM;
    }

    decode(input = undefined, options = undefined) {
      if (input !== undefined && !isBufferSource(input) && !isSharedArrayBuffer(input)) {
        throw new TypeError('TextDecoder.decode: input must be an ArrayBuffer or ArrayBufferView');
      }
      const opts = toDictionary(options, 'TextDecodeOptions');
      const stream = opts !== null && !!opts.stream;
      if (!this.#doNotFlush) {
        this.#pending = null;
        this.#bomSeen = false;
        if (this.#state !== null) this.#state.fill(0);
      }
      this.#doNotFlush = stream;

      let out;
      try {
        out = this.#id === 0 ? this.#decodeUTF8(input, stream) : this.#decodeOther(input, stream);
      } catch (err) {
        // After a fatal error start over on the next call rather than resume mid-sequence.
        this.#pending = null;
        this.#doNotFlush = false;
        if (this.#state !== null) this.#state.fill(0);
        if (err instanceof TypeError && err.message === decoderErrorMessage) {
          throw new TypeError(`TextDecoder: the data is not valid ${this.#encoding}`);
        }
        throw err;
      }

      if (!this.#ignoreBOM && !this.#bomSeen && out.length > 0 && bomEncodings.has(this.#encoding)) {
        this.#bomSeen = true;
        if (out.charCodeAt(0) === 0xFEFF) out = out.slice(1);
      }
      return out;
    }

    #decodeOther(input, stream) {
      if (this.#state === null) this.#state = new Int32Array(5);
      return native.decode(this.#id, this.#state, input, stream, this.#fatal);
    }

    #decodeUTF8(input, stream) {
      if (!stream && this.#pending === null) {
        // The common one-shot call: hand the caller's buffer straight to native.
        return input === undefined ? '' : native.utf8Decode(input, this.#fatal);
      }
      // A Uint8Array as it is: a detached one has no bytes (what bufferSourceView would give),
      // and its brand and detached checks would cost more than a small chunk's decode.
      let bytes = input === undefined ? null : isUint8Array(input) ? input
        : isSharedArrayBuffer(input) ? new Uint8Array(input) : bufferSourceView(input);
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
      if (bytes === null) return '';
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
      return end === 0 ? '' : native.utf8Decode(whole, this.#fatal);
    }
  }
  internal.makeInterface(TextDecoder);

  // Encoding's "UTF-8 decode": replacement on errors, one leading BOM stripped (Body.text()).
  internal.utf8DecodeBody = (bufferSource) => {
    const s = native.utf8Decode(bufferSource, false);
    return s.charCodeAt(0) === 0xFEFF ? s.slice(1) : s;
  };

  // For TextDecoderStream (encoding_streams.js) and any later file that decodes by label.
  internal.TextDecoder = TextDecoder;
  internal.getEncoding = getEncoding;

  internal.defineGlobal('TextEncoder', TextEncoder);
  internal.defineGlobal('TextDecoder', TextDecoder);
})
