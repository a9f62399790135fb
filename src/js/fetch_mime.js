(function (native, internal) {
  'use strict';

  // MIME Sniffing's MIME type parser and serializer, Infra's forgiving-base64 decode and
  // Fetch's data: URL processor: installed on first use (a data: URL, blob(), EventSource).

  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const httpQuotedStringTokenRe = /^[\t\x20-\x7E\x80-\xFF]*$/;
  const isHttpWhitespace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

  function collectQuotedString(input, i) {
    let value = '';
    i++; // opening quote
    for (;;) {
      const start = i;
      while (i < input.length && input[i] !== '"' && input[i] !== '\\') i++;
      value += input.slice(start, i);
      if (i >= input.length) break;
      const q = input[i++];
      if (q === '"') break;
      if (i >= input.length) {
        value += '\\';
        break;
      }
      value += input[i++];
    }
    return [value, i];
  }

  // MIME Sniffing's "parse a MIME type" → { essence, params: Map } or null.
  function parseMimeType(input) {
    input = input.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    const slash = input.indexOf('/');
    if (slash < 0) return null;
    const type = input.slice(0, slash);
    if (!tokenRe.test(type)) return null;
    let i = input.indexOf(';', slash + 1);
    if (i < 0) i = input.length;
    const subtype = input.slice(slash + 1, i).replace(/[\t\n\r ]+$/, '');
    if (!tokenRe.test(subtype)) return null;
    const params = new Map();
    while (i < input.length) {
      i++; // ';'
      while (i < input.length && isHttpWhitespace(input[i])) i++;
      let start = i;
      while (i < input.length && input[i] !== ';' && input[i] !== '=') i++;
      const name = input.slice(start, i).toLowerCase();
      if (i < input.length) {
        if (input[i] === ';') continue;
        i++; // '='
      }
      if (i >= input.length) break;
      let value;
      if (input[i] === '"') {
        [value, i] = collectQuotedString(input, i);
        while (i < input.length && input[i] !== ';') i++;
      } else {
        start = i;
        while (i < input.length && input[i] !== ';') i++;
        value = input.slice(start, i).replace(/[\t\n\r ]+$/, '');
        if (value === '') continue;
      }
      if (name !== '' && tokenRe.test(name) && httpQuotedStringTokenRe.test(value) && !params.has(name)) {
        params.set(name, value);
      }
    }
    return { essence: `${type.toLowerCase()}/${subtype.toLowerCase()}`, params };
  }

  function serializeMimeType(mt) {
    let s = mt.essence;
    for (const [name, value] of mt.params) {
      s += ';' + name + '=';
      s += value !== '' && tokenRe.test(value) ? value : '"' + value.replace(/["\\]/g, '\\$&') + '"';
    }
    return s;
  }

  const base64Values = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) {
    base64Values['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
  }

  // Infra's "forgiving-base64 decode" → Uint8Array or null.
  function forgivingBase64Decode(s) {
    s = s.replace(/[\t\n\f\r ]+/g, '');
    if (s.length % 4 === 0) {
      if (s.endsWith('==')) s = s.slice(0, -2);
      else if (s.endsWith('=')) s = s.slice(0, -1);
    }
    if (s.length % 4 === 1 || /[^A-Za-z0-9+\/]/.test(s)) return null;
    const out = new Uint8Array((s.length * 3) >> 2);
    let acc = 0;
    let bits = 0;
    let j = 0;
    for (let i = 0; i < s.length; i++) {
      acc = (acc << 6) | base64Values[s.charCodeAt(i)];
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (acc >> bits) & 0xFF;
        acc &= (1 << bits) - 1;
      }
    }
    return out;
  }

  function isomorphicDecode(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    }
    return s;
  }

  // Fetch's "data: URL processor" of a URL without its fragment → { type, body } or null.
  function processDataURL(href) {
    const input = href.slice(5); // after "data:"
    const comma = input.indexOf(',');
    if (comma < 0) return null;
    let mime = input.slice(0, comma).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
    let body = internal.percentDecode(input.slice(comma + 1));
    const m = /; *base64$/i.exec(mime);
    if (m !== null) {
      body = forgivingBase64Decode(isomorphicDecode(body));
      if (body === null) return null;
      mime = mime.slice(0, m.index);
    }
    if (mime.startsWith(';')) mime = 'text/plain' + mime;
    const mt = parseMimeType(mime);
    return { type: mt === null ? 'text/plain;charset=US-ASCII' : serializeMimeType(mt), body };
  }

  internal.parseMimeType = parseMimeType;
  internal.serializeMimeType = serializeMimeType;
  internal.forgivingBase64Decode = forgivingBase64Decode;
  internal.processDataURL = processDataURL;
})
