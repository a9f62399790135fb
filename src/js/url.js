(function (native, internal) {
  'use strict';

  // URL and URLSearchParams (the WHATWG URL Standard). The basic URL parser, the setters' state
  // overrides and the host parser (with UTS #46 through ICU) are native (src/web/url*.c): a URL
  // arrives as its serialization and the offsets of its components.

  const { toUSVString, requireArgs, toDictionary } = internal;
  // USVString conversion for what goes to the parser: ToString only, since the native parser
  // reads a lone surrogate as U+FFFD itself (what the conversion would have made of it).
  const toParserString = (v) => (typeof v === 'string' ? v : `${v}`);

  // An input quoted in an error message: its start only (a 10 MB string must not become a
  // 10 MB message); the whole of it is on the error as `input`, as Node puts it.
  const quoted = (s) => (s.length > 100 ? `'${s.slice(0, 100)}…' (${s.length} characters)` : `'${s}'`);

  function invalidURL(input, base) {
    const err = new TypeError(`Invalid URL: ${quoted(input)}`);
    Object.defineProperty(err, 'input', { value: input, writable: true, configurable: true });
    if (base !== undefined) {
      Object.defineProperty(err, 'base', { value: base, writable: true, configurable: true });
    }
    err.code = 'ERR_INVALID_URL';
    return err;
  }

  // --- percent-decoding ---------------------------------------------------------------------------

  const isHex = (c) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
  const hexValue = (c) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);

  // URL "percent-decode" of a string: its UTF-8 bytes with valid %XX sequences decoded.
  function percentDecode(s) {
    const bytes = native.utf8Encode(s);
    if (s.indexOf('%') < 0) return bytes;
    const out = new Uint8Array(bytes.length);
    let j = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
        out[j++] = (hexValue(bytes[i + 1]) << 4) | hexValue(bytes[i + 2]);
        i += 2;
      } else {
        out[j++] = c;
      }
    }
    return out.subarray(0, j);
  }

  // --- parsing ------------------------------------------------------------------------------------

  // A parsed URL: its serialization and the offsets of its components in it, as native.urlParse
  // writes them into native.urlComps (src/web/url.h, EDDY__URLC_*). Immutable: a setter makes a
  // new one, so fetch may share records.
  const comps = native.urlCompsView(native.urlComps);
  const HAS_HOST = 1;
  const OPAQUE_PATH = 2;

  class URLRecord {
    constructor(href, c) {
      this.href = href;
      this.schemeEnd = c[0];
      this.usernameStart = c[1];
      this.usernameEnd = c[2];
      this.passwordStart = c[3];
      this.passwordEnd = c[4];
      this.hostStart = c[5];
      this.hostEnd = c[6];
      this.portNumber = c[7];
      this.pathStart = c[8];
      this.pathEnd = c[9];
      this.queryStart = c[10];
      this.fragmentStart = c[11];
      this.flags = c[12];
    }

    get protocol() { return this.href.slice(0, this.schemeEnd + 1); }
    get scheme() { return this.href.slice(0, this.schemeEnd); }
    get username() { return this.href.slice(this.usernameStart, this.usernameEnd); }
    get password() { return this.href.slice(this.passwordStart, this.passwordEnd); }
    get hasHost() { return (this.flags & HAS_HOST) !== 0; }
    get opaquePath() { return (this.flags & OPAQUE_PATH) !== 0; }
    get hostname() { return this.href.slice(this.hostStart, this.hostEnd); }
    get port() { return this.portNumber < 0 ? '' : String(this.portNumber); }
    get host() {
      const h = this.hostname;
      return this.portNumber < 0 ? h : h + ':' + this.portNumber;
    }
    get pathname() { return this.href.slice(this.pathStart, this.pathEnd); }
    // The query without '?', or null.
    get query() {
      if (this.queryStart < 0) return null;
      return this.href.slice(this.queryStart + 1, this.fragmentStart < 0 ? this.href.length : this.fragmentStart);
    }
    get search() {
      const q = this.query;
      return q === null || q === '' ? '' : '?' + q;
    }
    get hash() {
      const f = this.fragmentStart;
      return f < 0 || f === this.href.length - 1 ? '' : this.href.slice(f);
    }

    // The same URL with its query replaced (null removes it), as URLSearchParams' update steps
    // set it: the form serialization needs no more encoding.
    withQuery(query) {
      const href = this.href;
      const tail = this.fragmentStart < 0 ? '' : href.slice(this.fragmentStart);
      const head = href.slice(0, this.pathEnd);
      const next = head + (query === null ? '' : '?' + query) + tail;
      comps[0] = this.schemeEnd; comps[1] = this.usernameStart; comps[2] = this.usernameEnd;
      comps[3] = this.passwordStart; comps[4] = this.passwordEnd; comps[5] = this.hostStart;
      comps[6] = this.hostEnd; comps[7] = this.portNumber; comps[8] = this.pathStart;
      comps[9] = this.pathEnd;
      comps[10] = query === null ? -1 : this.pathEnd;
      comps[11] = this.fragmentStart < 0 ? -1 : head.length + (query === null ? 0 : query.length + 1);
      comps[12] = this.flags;
      return new URLRecord(next, comps);
    }
  }

  // → URLRecord or null. `input` and `base` are strings (USV strings from the API); base may be
  // undefined. A base that is not a URL is a failure.
  const { urlParse, urlSet, urlCanParse } = native;

  function parseURL(input, base) {
    // Without a base, one argument: the native side then makes one JSC call fewer.
    const href = base === undefined ? urlParse(input) : urlParse(input, base);
    return href === null ? null : new URLRecord(href, comps);
  }

  const SET = {
    protocol: 1, username: 2, password: 3, host: 4, hostname: 5, port: 6, pathname: 7, search: 8, hash: 9,
  };

  function setComponent(rec, which, value) {
    const href = urlSet(rec.href, which, value);
    return href === null || href === rec.href ? rec : new URLRecord(href, comps);
  }

  function originOf(rec) {
    switch (rec.scheme) {
      case 'http': case 'https': case 'ws': case 'wss': case 'ftp':
        return rec.protocol + '//' + rec.host;
      case 'blob': {
        const inner = parseURL(rec.pathname, undefined);
        if (inner !== null && (inner.scheme === 'http' || inner.scheme === 'https')) return originOf(inner);
        return 'null';
      }
      default:
        return 'null';
    }
  }

  // Fetch's "bad port" list, for its "block bad port" step: fetch and WebSocket (whose handshake
  // is a fetch) both ask here. rec is an HTTP(S) or WS(S) URL's record.
  const badPorts = new Set([0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69,
    77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143,
    161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587,
    601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
    6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080]);
  internal.isBadPort = (rec) => rec.port !== '' && badPorts.has(Number(rec.port));

  // --- application/x-www-form-urlencoded ----------------------------------------------------------

  function decodeFormComponent(s) {
    if (s.indexOf('+') >= 0) s = s.replace(/\+/g, ' ');
    if (s.indexOf('%') < 0) return s;
    return native.utf8Decode(percentDecode(s), false);
  }

  function parseFormUrlencoded(input) {
    const list = [];
    if (input === '') return list;
    for (const seq of input.split('&')) {
      if (seq === '') continue;
      const eq = seq.indexOf('=');
      const name = eq < 0 ? seq : seq.slice(0, eq);
      const value = eq < 0 ? '' : seq.slice(eq + 1);
      list.push([decodeFormComponent(name), decodeFormComponent(value)]);
    }
    return list;
  }

  // encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ); the form set leaves only
  // alphanumerics and * - . _ and writes space as '+'.
  const formFixups = /%20|[!'()~]/g;
  const formFixup = (m) => (m === '%20' ? '+' : '%' + m.charCodeAt(0).toString(16).toUpperCase());

  function encodeFormComponent(s) {
    return encodeURIComponent(s).replace(formFixups, formFixup);
  }

  function serializeFormUrlencoded(list) {
    let out = '';
    for (let i = 0; i < list.length; i++) {
      if (i > 0) out += '&';
      out += encodeFormComponent(list[i][0]) + '=' + encodeFormComponent(list[i][1]);
    }
    return out;
  }

  // --- URLSearchParams ----------------------------------------------------------------------------

  let paramsForURL;
  let paramsReplaceList;
  let urlSetQuery;

  function toPair(p) {
    if (p === null || (typeof p !== 'object' && typeof p !== 'function') ||
        typeof p[Symbol.iterator] !== 'function') {
      throw new TypeError('URLSearchParams: each pair must be an iterable of [name, value]');
    }
    const a = Array.from(p);
    if (a.length !== 2) {
      throw new TypeError('URLSearchParams: each pair must have exactly two items');
    }
    return [toUSVString(a[0]), toUSVString(a[1])];
  }

  class URLSearchParams {
    #list = [];
    #url = null;

    constructor(init = undefined) {
      if (init === undefined) return;
      if (init !== null && (typeof init === 'object' || typeof init === 'function')) {
        const iter = init[Symbol.iterator];
        if (iter !== undefined && iter !== null) {
          if (typeof iter !== 'function') throw new TypeError('URLSearchParams: init is not iterable');
          for (const p of init) this.#list.push(toPair(p));
        } else {
          // A Web IDL record: keys that become equal as USVStrings (lone surrogates) keep the
          // first one's place and the last one's value.
          const record = new Map();
          for (const key of Reflect.ownKeys(init)) {
            const d = Reflect.getOwnPropertyDescriptor(init, key);
            if (d === undefined || !d.enumerable) continue;
            const name = toUSVString(key);
            const value = toUSVString(init[key]);
            const pair = record.get(name);
            if (pair === undefined) {
              const p = [name, value];
              record.set(name, p);
              this.#list.push(p);
            } else {
              pair[1] = value;
            }
          }
        }
        return;
      }
      let s = toUSVString(init);
      if (s.charCodeAt(0) === 0x3F) s = s.slice(1);
      this.#list = parseFormUrlencoded(s);
    }

    #update() {
      if (this.#url !== null) urlSetQuery(this.#url, serializeFormUrlencoded(this.#list));
    }

    get size() {
      return this.#list.length;
    }

    append(name, value) {
      requireArgs(arguments.length, 2, 'URLSearchParams.append');
      this.#list.push([toUSVString(name), toUSVString(value)]);
      this.#update();
    }

    delete(name, value = undefined) {
      requireArgs(arguments.length, 1, 'URLSearchParams.delete');
      name = toUSVString(name);
      if (value !== undefined) value = toUSVString(value);
      const list = this.#list;
      let j = 0;
      for (let i = 0; i < list.length; i++) {
        const p = list[i];
        if (p[0] === name && (value === undefined || p[1] === value)) continue;
        list[j++] = p;
      }
      list.length = j;
      this.#update();
    }

    get(name) {
      requireArgs(arguments.length, 1, 'URLSearchParams.get');
      name = toUSVString(name);
      for (const p of this.#list) if (p[0] === name) return p[1];
      return null;
    }

    getAll(name) {
      requireArgs(arguments.length, 1, 'URLSearchParams.getAll');
      name = toUSVString(name);
      const out = [];
      for (const p of this.#list) if (p[0] === name) out.push(p[1]);
      return out;
    }

    has(name, value = undefined) {
      requireArgs(arguments.length, 1, 'URLSearchParams.has');
      name = toUSVString(name);
      if (value !== undefined) value = toUSVString(value);
      for (const p of this.#list) {
        if (p[0] === name && (value === undefined || p[1] === value)) return true;
      }
      return false;
    }

    set(name, value) {
      requireArgs(arguments.length, 2, 'URLSearchParams.set');
      name = toUSVString(name);
      value = toUSVString(value);
      const list = this.#list;
      let found = false;
      let j = 0;
      for (let i = 0; i < list.length; i++) {
        const p = list[i];
        if (p[0] === name) {
          if (found) continue;
          found = true;
          p[1] = value;
        }
        list[j++] = p;
      }
      list.length = j;
      if (!found) list.push([name, value]);
      this.#update();
    }

    sort() {
      // Array.prototype.sort is stable; < compares UTF-16 code units as the URL spec asks.
      this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.#update();
    }

    toString() {
      return serializeFormUrlencoded(this.#list);
    }

    static {
      paramsForURL = (url, query) => {
        const p = new URLSearchParams();
        p.#list = parseFormUrlencoded(query);
        p.#url = url;
        return p;
      };
      paramsReplaceList = (p, query) => {
        p.#list = parseFormUrlencoded(query);
      };
      internal.definePairIterable(URLSearchParams, 'URLSearchParams', (p) => p.#list, (p) => p.#list);
      internal.isURLSearchParams = (v) => v !== null && typeof v === 'object' && #list in v;
    }
  }
  internal.makeInterface(URLSearchParams);

  // --- URL ----------------------------------------------------------------------------------------

  const kFromRecord = Symbol('URL.fromRecord');

  class URL {
    #rec;
    #params = null;

    constructor(url, base = undefined) {
      if (url === kFromRecord) {
        this.#rec = base;
        return;
      }
      requireArgs(arguments.length, 1, 'URL constructor');
      url = toParserString(url);
      if (base !== undefined) base = toParserString(base);
      const rec = parseURL(url, base);
      if (rec === null) throw invalidURL(url, base);
      this.#rec = rec;
    }

    static canParse(url, base = undefined) {
      requireArgs(arguments.length, 1, 'URL.canParse');
      url = toParserString(url);
      return urlCanParse(url, base === undefined ? undefined : toParserString(base));
    }

    static parse(url, base = undefined) {
      requireArgs(arguments.length, 1, 'URL.parse');
      url = toParserString(url);
      const rec = parseURL(url, base === undefined ? undefined : toParserString(base));
      return rec === null ? null : new URL(kFromRecord, rec);
    }

    // File API: URL.createObjectURL / revokeObjectURL and the blob URL store (below).
    static createObjectURL(obj) {
      requireArgs(arguments.length, 1, 'URL.createObjectURL');
      // No Blob exists before blob.js is installed (internal.isBlob is undefined until then).
      const isBlob = internal.isBlob;
      if (isBlob === undefined || !isBlob(obj)) {
        throw new TypeError("URL.createObjectURL: parameter 1 is not of type 'Blob'");
      }
      const url = `blob:${blobURLOrigin()}/${native.cryptoRandomUUID()}`;
      blobURLStore.set(url, obj);
      return url;
    }

    static revokeObjectURL(url) {
      requireArgs(arguments.length, 1, 'URL.revokeObjectURL');
      const rec = parseURL(toParserString(url), undefined);
      // The store holds only this global's URLs, so the spec's same-origin check changes nothing.
      // The key is the whole serialization: a fragment makes it another URL (no revocation).
      if (rec !== null && rec.schemeEnd === 4 && rec.href.startsWith('blob')) blobURLStore.delete(rec.href);
    }

    #set(which, value) {
      const old = this.#rec;
      const rec = setComponent(old, which, toParserString(value));
      this.#rec = rec;
      return rec !== old;
    }

    get href() {
      return this.#rec.href;
    }

    set href(value) {
      value = toParserString(value);
      const rec = parseURL(value, undefined);
      if (rec === null) throw invalidURL(value, undefined);
      this.#rec = rec;
      if (this.#params !== null) paramsReplaceList(this.#params, rec.query ?? '');
    }

    get origin() {
      return originOf(this.#rec);
    }

    get protocol() {
      return this.#rec.protocol;
    }

    set protocol(value) {
      this.#set(SET.protocol, value);
    }

    get username() {
      return this.#rec.username;
    }

    set username(value) {
      this.#set(SET.username, value);
    }

    get password() {
      return this.#rec.password;
    }

    set password(value) {
      this.#set(SET.password, value);
    }

    get host() {
      return this.#rec.host;
    }

    set host(value) {
      this.#set(SET.host, value);
    }

    get hostname() {
      return this.#rec.hostname;
    }

    set hostname(value) {
      this.#set(SET.hostname, value);
    }

    get port() {
      return this.#rec.port;
    }

    set port(value) {
      this.#set(SET.port, value);
    }

    get pathname() {
      return this.#rec.pathname;
    }

    set pathname(value) {
      this.#set(SET.pathname, value);
    }

    get search() {
      return this.#rec.search;
    }

    set search(value) {
      value = toUSVString(value);
      this.#set(SET.search, value);
      if (this.#params !== null) {
        paramsReplaceList(this.#params, value === '' ? '' : value[0] === '?' ? value.slice(1) : value);
      }
    }

    get searchParams() {
      if (this.#params === null) this.#params = paramsForURL(this, this.#rec.query ?? '');
      return this.#params;
    }

    get hash() {
      return this.#rec.hash;
    }

    set hash(value) {
      this.#set(SET.hash, value);
    }

    toString() {
      return this.#rec.href;
    }

    toJSON() {
      return this.#rec.href;
    }

    static {
      // URLSearchParams' update steps: the URL's query becomes the serialized list (null when
      // empty), without reparsing.
      urlSetQuery = (url, serialized) => {
        url.#rec = url.#rec.withQuery(serialized === '' ? null : serialized);
      };
    }
  }
  internal.makeInterface(URL);

  // The blob URL store: URL string -> Blob. An entry keeps its Blob alive until revoked (there is
  // no document whose unloading would revoke it).
  const blobURLStore = new Map();
  // "Generate a new blob URL" serializes the environment's origin: eddy's is the host's base URL's
  // (--base-url; as Deno takes its --location's), else opaque, "null" (blob:null/<uuid>, as Deno
  // makes it; Node's blob:nodedata:<uuid> is no origin at all: new URL(it).origin is "null" too).
  let blobOrigin = null;
  function blobURLOrigin() {
    if (blobOrigin === null) {
      const b = native.baseURL;
      const rec = b === undefined || b === null ? null : parseURL(String(b), undefined);
      blobOrigin = rec === null ? 'null' : originOf(rec);
    }
    return blobOrigin;
  }
  // "Resolve a blob URL": the Blob a parsed blob: URL names (its fragment ignored), or null.
  internal.resolveBlobURL = (rec) => {
    const href = rec.href;
    const f = rec.fragmentStart;
    const blob = blobURLStore.get(f < 0 ? href : href.slice(0, f));
    return blob === undefined ? null : blob;
  };

  internal.parseURL = parseURL;
  internal.urlOrigin = originOf;
  internal.percentDecode = percentDecode;
  internal.serializeFormUrlencoded = serializeFormUrlencoded;
  internal.parseFormUrlencoded = parseFormUrlencoded;

  internal.defineGlobal('URL', URL);
  internal.defineGlobal('URLSearchParams', URLSearchParams);
})
