(function (native, internal) {
  'use strict';

  // URL and URLSearchParams. Hierarchical URLs are parsed natively (native.urlParse); URLs with
  // an opaque path (data:, mailto:, about:, blob:, javascript:, …) are parsed here, since they
  // are simple and a URL library built for network URLs often rejects them. Setters rebuild a
  // URL string and reparse it, which keeps all normalisation in one place.

  const { toUSVString, requireArgs, toDictionary } = internal;

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

  const specialPorts = {
    'ftp:': '21', 'file:': '', 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443',
  };
  const isSpecial = (protocol) => Object.prototype.hasOwnProperty.call(specialPorts, protocol);

  // --- percent-encoding ---------------------------------------------------------------------------

  const HEX = '0123456789ABCDEF';

  // Percent-encodes code points < 0x20, > 0x7E and the ASCII characters in `extra` as UTF-8.
  function percentEncode(s, extra) {
    let out = '';
    let last = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c <= 0x7E && extra.indexOf(s[i]) < 0) continue;
      out += s.slice(last, i);
      if (c < 0x80) {
        out += '%' + HEX[c >> 4] + HEX[c & 15];
      } else {
        // Take a whole surrogate pair; toUSVString already replaced lone surrogates.
        const wide = c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length;
        out += encodeURIComponent(s.slice(i, wide ? i + 2 : i + 1));
        if (wide) i++;
      }
      last = i + 1;
    }
    return last === 0 ? s : out + s.slice(last);
  }

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

  const leadingTrailingC0 = /^[\x00-\x20]+|[\x00-\x20]+$/g;
  const tabOrNewline = /[\t\n\r]/g;
  const schemeRe = /^([A-Za-z][A-Za-z0-9+.\-]*):/;

  function makeRecord(href, protocol, username, password, hostname, port, pathname, search, hash) {
    return { href, protocol, username, password, hostname, port, pathname, search, hash };
  }

  // A URL with an opaque path: scheme ":" path ["?" query] ["#" fragment].
  function parseOpaque(protocol, rest) {
    let fragment = null;
    let query = null;
    const h = rest.indexOf('#');
    if (h >= 0) {
      fragment = rest.slice(h + 1);
      rest = rest.slice(0, h);
    }
    const q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
    const path = percentEncode(rest, '');
    const search = query === null ? '' : percentEncode(query, ' "#<>');
    const hash = fragment === null ? '' : percentEncode(fragment, ' "<>`');
    const href = protocol + path + (query === null ? '' : '?' + search) +
      (fragment === null ? '' : '#' + hash);
    return makeRecord(href, protocol, '', '', '', '', path,
      search === '' ? '' : '?' + search, hash === '' ? '' : '#' + hash);
  }

  const hasOpaquePath = (rec) => !rec.href.startsWith(rec.protocol + '//') && !rec.pathname.startsWith('/');

  // Native results with WHATWG rules that some URL libraries skip applied on top: a special
  // scheme's host is ASCII-lowercased and its default port dropped.
  function fromNative(rec) {
    if (rec === null || rec === undefined) return null;
    const p = rec.protocol;
    if (!isSpecial(p)) return rec;
    const dropPort = rec.port !== '' && specialPorts[p] === rec.port;
    const lower = /[A-Z]/.test(rec.hostname);
    if (!dropPort && !lower) return rec;
    const c = {};
    if (dropPort) c.port = '';
    if (lower) c.hostname = rec.hostname.toLowerCase();
    return makeRecord(rebuild(rec, c), p, rec.username, rec.password, c.hostname ?? rec.hostname,
      c.port ?? rec.port, rec.pathname, rec.search, rec.hash);
  }

  // → record {href, protocol, username, password, hostname, port, pathname, search, hash} or null.
  // `input` and `base` are USV strings; base may be undefined.
  // Apps fetch the same few endpoints over and over: parsing goes through libcurl (a native call
  // and a dozen property writes), so remember recent results. Records are frozen: nothing may
  // mutate a shared one (URL setters build new records).
  const parseCache = new Map();
  const PARSE_CACHE_MAX = 256;

  function parseURL(input, base) {
    const key = base === undefined ? input : input + '\u0000' + base;
    const hit = parseCache.get(key);
    if (hit !== undefined) return hit;
    const rec = parseURLUncached(input, base);
    if (rec !== null) {
      if (parseCache.size >= PARSE_CACHE_MAX) parseCache.clear();
      parseCache.set(key, Object.freeze(rec));
    }
    return rec;
  }

  function parseURLUncached(input, base) {
    input = input.replace(leadingTrailingC0, '').replace(tabOrNewline, '');
    const m = schemeRe.exec(input);
    if (m !== null) {
      const protocol = m[1].toLowerCase() + ':';
      const rest = input.slice(m[0].length);
      if (!isSpecial(protocol) && rest[0] !== '/') return parseOpaque(protocol, rest);
      if (!isSpecial(protocol) || base === undefined) return fromNative(native.urlParse(input));
    }
    if (base === undefined) return null;
    const b = parseURL(base, undefined);
    if (b === null) return null;
    if (input[0] === '#') {
      // A fragment-only reference keeps all of the base but its fragment. Done here: it is the
      // only kind an opaque-path base accepts, and not every native parser resolves it right.
      const frag = percentEncode(input.slice(1), ' "<>`');
      const i = b.href.indexOf('#');
      const href = (i < 0 ? b.href : b.href.slice(0, i)) + '#' + frag;
      return makeRecord(href, b.protocol, b.username, b.password, b.hostname, b.port, b.pathname,
        b.search, frag === '' ? '' : '#' + frag);
    }
    if (hasOpaquePath(b)) return null;
    return fromNative(native.urlParse(input, b.href));
  }

  function originOf(rec) {
    const p = rec.protocol;
    if (p === 'http:' || p === 'https:' || p === 'ws:' || p === 'wss:' || p === 'ftp:') {
      return p + '//' + hostOf(rec);
    }
    if (p === 'blob:') {
      const inner = parseURL(rec.pathname, undefined);
      if (inner !== null && (inner.protocol === 'http:' || inner.protocol === 'https:')) {
        return originOf(inner);
      }
    }
    return 'null';
  }

  const hostOf = (rec) => (rec.port === '' ? rec.hostname : rec.hostname + ':' + rec.port);

  // The raw "#fragment" / "?query" as they appear in href, including an empty "#" or "?".
  function rawHash(rec) {
    return rec.hash !== '' ? rec.hash : rec.href.endsWith('#') ? '#' : '';
  }

  function rawSearch(rec) {
    if (rec.search !== '') return rec.search;
    const h = rawHash(rec);
    const head = rec.href.slice(0, rec.href.length - h.length);
    return head.endsWith('?') ? '?' : '';
  }

  // Serialises a record with some components replaced; the caller reparses the result.
  function rebuild(rec, c) {
    const protocol = c.protocol ?? rec.protocol;
    const username = c.username ?? rec.username;
    const password = c.password ?? rec.password;
    const hostname = c.hostname ?? rec.hostname;
    const port = c.port ?? rec.port;
    const pathname = c.pathname ?? rec.pathname;
    const search = c.search ?? rawSearch(rec);
    const hash = c.hash ?? rawHash(rec);
    let s = protocol;
    if (rec.href.startsWith(rec.protocol + '//')) {
      s += '//';
      if (username !== '' || password !== '') {
        s += username + (password !== '' ? ':' + password : '') + '@';
      }
      s += hostname + (port !== '' ? ':' + port : '');
    }
    return s + pathname + search + hash;
  }

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
          for (const key of Reflect.ownKeys(init)) {
            const d = Reflect.getOwnPropertyDescriptor(init, key);
            if (d === undefined || !d.enumerable) continue;
            this.#list.push([toUSVString(key), toUSVString(init[key])]);
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

  const schemeOnly = /^[A-Za-z][A-Za-z0-9+.\-]*$/;
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
      url = toUSVString(url);
      if (base !== undefined) base = toUSVString(base);
      const rec = parseURL(url, base);
      if (rec === null) throw invalidURL(url, base);
      this.#rec = rec;
    }

    static canParse(url, base = undefined) {
      requireArgs(arguments.length, 1, 'URL.canParse');
      return parseURL(toUSVString(url), base === undefined ? undefined : toUSVString(base)) !== null;
    }

    static parse(url, base = undefined) {
      requireArgs(arguments.length, 1, 'URL.parse');
      const rec = parseURL(toUSVString(url), base === undefined ? undefined : toUSVString(base));
      return rec === null ? null : new URL(kFromRecord, rec);
    }

    // Reparses a rebuilt href; setters ignore results the parser rejects, as the URL spec's
    // state-override parsing does.
    #reparse(href) {
      const rec = parseURL(href, undefined);
      if (rec === null) return false;
      const oldSearch = this.#rec.search;
      this.#rec = rec;
      if (this.#params !== null && rec.search !== oldSearch) {
        paramsReplaceList(this.#params, rec.search.slice(1));
      }
      return true;
    }

    get href() {
      return this.#rec.href;
    }

    set href(value) {
      value = toUSVString(value);
      const rec = parseURL(value, undefined);
      if (rec === null) throw invalidURL(value, undefined);
      this.#rec = rec;
      if (this.#params !== null) paramsReplaceList(this.#params, rec.search.slice(1));
    }

    get origin() {
      return originOf(this.#rec);
    }

    get protocol() {
      return this.#rec.protocol;
    }

    set protocol(value) {
      value = toUSVString(value);
      const colon = value.indexOf(':');
      const scheme = colon < 0 ? value : value.slice(0, colon);
      if (!schemeOnly.test(scheme)) return;
      const protocol = scheme.toLowerCase() + ':';
      const rec = this.#rec;
      if (isSpecial(protocol) !== isSpecial(rec.protocol)) return;
      if (protocol === 'file:' && (rec.username !== '' || rec.password !== '' || rec.port !== '')) return;
      if (rec.protocol === 'file:' && rec.hostname === '') return;
      this.#reparse(rebuild(rec, { protocol, port: rec.port === specialPorts[protocol] ? '' : rec.port }));
    }

    get username() {
      return this.#rec.username;
    }

    set username(value) {
      const rec = this.#rec;
      if (rec.hostname === '' || rec.protocol === 'file:') return;
      this.#reparse(rebuild(rec, { username: percentEncode(toUSVString(value), ' "#<>?`{}/:;=@[\\]^|') }));
    }

    get password() {
      return this.#rec.password;
    }

    set password(value) {
      const rec = this.#rec;
      if (rec.hostname === '' || rec.protocol === 'file:') return;
      this.#reparse(rebuild(rec, { password: percentEncode(toUSVString(value), ' "#<>?`{}/:;=@[\\]^|') }));
    }

    get host() {
      return hostOf(this.#rec);
    }

    set host(value) {
      const rec = this.#rec;
      if (hasOpaquePath(rec)) return;
      const v = cutAtDelimiter(toUSVString(value), isSpecial(rec.protocol));
      const { hostname, port } = splitHostPort(v);
      if (hostname === '' && isSpecial(rec.protocol)) return;
      const parts = { hostname };
      if (port !== null) {
        const digits = /^[0-9]*/.exec(port)[0];
        if (digits !== '') parts.port = digits;
      }
      this.#reparse(rebuild(rec, parts));
    }

    get hostname() {
      return this.#rec.hostname;
    }

    set hostname(value) {
      const rec = this.#rec;
      if (hasOpaquePath(rec)) return;
      const v = cutAtDelimiter(toUSVString(value), isSpecial(rec.protocol));
      const { hostname } = splitHostPort(v);
      if (hostname === '' && isSpecial(rec.protocol)) return;
      this.#reparse(rebuild(rec, { hostname }));
    }

    get port() {
      return this.#rec.port;
    }

    set port(value) {
      const rec = this.#rec;
      if (rec.hostname === '' || rec.protocol === 'file:') return;
      value = toUSVString(value);
      if (value === '') {
        this.#reparse(rebuild(rec, { port: '' }));
        return;
      }
      const digits = /^[0-9]*/.exec(value)[0];
      if (digits === '') return;
      const n = Number(digits);
      if (n > 65535) return;
      const port = specialPorts[rec.protocol] === String(n) ? '' : String(n);
      this.#reparse(rebuild(rec, { port }));
    }

    get pathname() {
      return this.#rec.pathname;
    }

    set pathname(value) {
      const rec = this.#rec;
      if (hasOpaquePath(rec)) return;
      let p = percentEncode(toUSVString(value), '?#');
      if (rec.href.startsWith(rec.protocol + '//') && p !== '' && p[0] !== '/' &&
          !(isSpecial(rec.protocol) && p[0] === '\\')) {
        p = '/' + p;
      }
      this.#reparse(rebuild(rec, { pathname: p }));
    }

    get search() {
      return this.#rec.search;
    }

    set search(value) {
      value = toUSVString(value);
      const rec = this.#rec;
      if (value === '') {
        this.#reparse(rebuild(rec, { search: '' }));
        if (this.#params !== null) paramsReplaceList(this.#params, '');
        return;
      }
      const q = value[0] === '?' ? value.slice(1) : value;
      // '#' would start the fragment when reparsed; everything else the parser encodes.
      this.#reparse(rebuild(rec, { search: '?' + percentEncode(q, '#') }));
      if (this.#params !== null) paramsReplaceList(this.#params, q);
    }

    get searchParams() {
      if (this.#params === null) this.#params = paramsForURL(this, this.#rec.search.slice(1));
      return this.#params;
    }

    get hash() {
      return this.#rec.hash;
    }

    set hash(value) {
      value = toUSVString(value);
      const rec = this.#rec;
      if (value === '') {
        this.#reparse(rebuild(rec, { hash: '' }));
        return;
      }
      this.#reparse(rebuild(rec, { hash: '#' + (value[0] === '#' ? value.slice(1) : value) }));
    }

    toString() {
      return this.#rec.href;
    }

    toJSON() {
      return this.#rec.href;
    }

    static {
      // URLSearchParams' "update steps": set the query without reparsing the parameters.
      urlSetQuery = (url, serialized) => {
        const rec = url.#rec;
        const h = rawHash(rec);
        const head = rec.href.slice(0, rec.href.length - h.length - rawSearch(rec).length);
        const search = serialized === '' ? '' : '?' + serialized;
        url.#rec = makeRecord(head + search + h, rec.protocol, rec.username, rec.password,
          rec.hostname, rec.port, rec.pathname, search, rec.hash);
      };
    }
  }
  internal.makeInterface(URL);

  function cutAtDelimiter(v, special) {
    const re = special ? /[\/?#\\]/ : /[\/?#]/;
    const m = re.exec(v);
    return m === null ? v : v.slice(0, m.index);
  }

  // "[::1]:80" → { hostname: "[::1]", port: "80" }; port is null when there is no ':'.
  function splitHostPort(v) {
    let colon;
    if (v[0] === '[') {
      const close = v.indexOf(']');
      colon = close < 0 ? -1 : v.indexOf(':', close);
    } else {
      colon = v.indexOf(':');
    }
    return colon < 0
      ? { hostname: v, port: null }
      : { hostname: v.slice(0, colon), port: v.slice(colon + 1) };
  }

  internal.parseURL = parseURL;
  internal.urlOrigin = originOf;
  internal.percentDecode = percentDecode;
  internal.serializeFormUrlencoded = serializeFormUrlencoded;
  internal.parseFormUrlencoded = parseFormUrlencoded;

  internal.defineGlobal('URL', URL);
  internal.defineGlobal('URLSearchParams', URLSearchParams);
})
