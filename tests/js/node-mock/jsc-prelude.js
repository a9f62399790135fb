// Runs an eddy JS test file in the JavaScriptCore shell (`jsc`, Debian package
// libjavascriptcoregtk-4.0-bin) with a pure-JS mock `native`, to check src/js on the engine eddy
// embeds. No networking: httpRequest fails like a refused connection. Unhandled rejections are
// not reported (the shell has no hook), so tests that rely on them fail here.
//
//   jsc tests/js/node-mock/jsc-prelude.js -- ROOT FILE [args...]
//
// Or: sh tests/js/node-mock/jsc.sh FILE [args...]
'use strict';

(function (argv) {
  const [root, testFile, ...args] = argv;
  const shellSetTimeout = setTimeout;

  // --- timers with clearTimeout, on top of the shell's bare setTimeout ----------------------
  // A 2 ms pump runs due timers while any are live, so cleared timers do not keep the shell up.
  const timers = new Map();
  let nextId = 1;
  let pumping = false;
  let report = (e) => { throw e; };

  function pump() {
    pumping = false;
    const now = Date.now();
    const due = [...timers.values()].filter((t) => t.due <= now).sort((a, b) => a.due - b.due || a.id - b.id);
    for (const t of due) {
      if (!timers.has(t.id)) continue;
      if (t.interval) t.due = Date.now() + t.ms;
      else timers.delete(t.id);
      try {
        t.fn(...t.args);
      } catch (e) {
        report(e);
      }
    }
    arm();
  }

  function arm() {
    if (!pumping && timers.size > 0) {
      pumping = true;
      shellSetTimeout(pump, 2);
    }
  }

  function addTimer(fn, ms, args, interval) {
    const id = nextId++;
    ms = Math.max(0, Number(ms) || 0);
    timers.set(id, { id, fn, args, ms, due: Date.now() + ms, interval });
    arm();
    return id;
  }

  const globals = {
    setTimeout: (fn, ms, ...a) => addTimer(fn, ms, a, false),
    setInterval: (fn, ms, ...a) => addTimer(fn, ms, a, true),
    clearTimeout: (id) => { timers.delete(id); },
    clearInterval: (id) => { timers.delete(id); },
    queueMicrotask: (fn) => { Promise.resolve().then(fn); },
    console: {
      log: (...a) => print(a.join(' ')),
      info: (...a) => print(a.join(' ')),
      debug: (...a) => print(a.join(' ')),
      warn: (...a) => printErr(a.join(' ')),
      error: (...a) => printErr(a.join(' ')),
    },
  };
  for (const k of Object.keys(globals)) {
    Object.defineProperty(globalThis, k, { value: globals[k], writable: true, configurable: true });
  }

  // --- UTF-8 ------------------------------------------------------------------------------------
  function* codePoints(s) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) {
          i++;
          yield [0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00), 2];
          continue;
        }
      }
      yield [c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c, 1];
    }
  }

  function encodeCp(cp, out) {
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xC0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    return out;
  }

  function utf8Encode(s) {
    const out = [];
    for (const [cp] of codePoints(String(s))) encodeCp(cp, out);
    return new Uint8Array(out);
  }

  function utf8EncodeInto(s, u8) {
    let read = 0;
    let written = 0;
    for (const [cp, units] of codePoints(String(s))) {
      const bytes = encodeCp(cp, []);
      if (written + bytes.length > u8.length) break;
      u8.set(bytes, written);
      written += bytes.length;
      read += units;
    }
    return [read, written];
  }

  // Encoding Standard's UTF-8 decoder.
  function utf8Decode(input, fatal) {
    const b = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : new Uint8Array(input);
    const out = [];
    let cp = 0;
    let needed = 0;
    let seen = 0;
    let lower = 0x80;
    let upper = 0xBF;
    const error = () => {
      if (fatal) throw new TypeError('The encoded data was not valid UTF-8');
      out.push(0xFFFD);
    };
    for (let i = 0; i < b.length; i++) {
      const x = b[i];
      if (needed === 0) {
        if (x <= 0x7F) out.push(x);
        else if (x >= 0xC2 && x <= 0xDF) { needed = 1; cp = x & 0x1F; }
        else if (x >= 0xE0 && x <= 0xEF) {
          if (x === 0xE0) lower = 0xA0;
          if (x === 0xED) upper = 0x9F;
          needed = 2;
          cp = x & 0xF;
        } else if (x >= 0xF0 && x <= 0xF4) {
          if (x === 0xF0) lower = 0x90;
          if (x === 0xF4) upper = 0x8F;
          needed = 3;
          cp = x & 0x7;
        } else error();
        continue;
      }
      if (x < lower || x > upper) {
        cp = needed = seen = 0;
        lower = 0x80;
        upper = 0xBF;
        i--;
        error();
        continue;
      }
      lower = 0x80;
      upper = 0xBF;
      cp = (cp << 6) | (x & 0x3F);
      if (++seen === needed) {
        out.push(cp);
        cp = needed = seen = 0;
      }
    }
    if (needed !== 0) error();
    let s = '';
    for (let i = 0; i < out.length; i += 4096) s += String.fromCodePoint(...out.slice(i, i + 4096));
    return s;
  }

  // --- a small WHATWG-ish URL parser, enough for the tests -----------------------------------
  const special = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21', 'file:': '' };
  const enc = (s, set) => {
    let o = '';
    for (const [cp] of codePoints(s)) {
      const ch = String.fromCodePoint(cp);
      if (cp < 0x21 || cp > 0x7E || set.includes(ch)) {
        o += encodeCp(cp, []).map((x) => '%' + x.toString(16).toUpperCase().padStart(2, '0')).join('');
      } else o += ch;
    }
    return o;
  };

  function parseAbsolute(input) {
    const m = /^([a-zA-Z][a-zA-Z0-9+.\-]*):([\s\S]*)$/.exec(input);
    if (!m) return null;
    const protocol = m[1].toLowerCase() + ':';
    const isSpecial = protocol in special;
    let rest = m[2];
    if (isSpecial) rest = rest.replace(/\\/g, '/');
    if (!rest.startsWith('//')) {
      if (!isSpecial) return null;
      rest = '//' + rest.replace(/^\/*/, '');
    }
    rest = isSpecial ? rest.replace(/^\/+/, '') : rest.slice(2);
    let frag = null;
    let query = null;
    let i = rest.indexOf('#');
    if (i >= 0) { frag = rest.slice(i + 1); rest = rest.slice(0, i); }
    i = rest.indexOf('?');
    if (i >= 0) { query = rest.slice(i + 1); rest = rest.slice(0, i); }
    i = rest.indexOf('/');
    let authority = i < 0 ? rest : rest.slice(0, i);
    let path = i < 0 ? '' : rest.slice(i);
    let username = '';
    let password = '';
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const info = authority.slice(0, at);
      authority = authority.slice(at + 1);
      const c = info.indexOf(':');
      username = enc(c < 0 ? info : info.slice(0, c), ' "#<>?`{}/:;=@[\\]^|');
      password = c < 0 ? '' : enc(info.slice(c + 1), ' "#<>?`{}/:;=@[\\]^|');
    }
    let hostname = authority;
    let port = '';
    const pm = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
    if (!pm) return null;
    hostname = pm[1].toLowerCase();
    if (pm[2] !== undefined && pm[2] !== '') {
      if (!/^\d+$/.test(pm[2]) || Number(pm[2]) > 65535) return null;
      port = String(Number(pm[2]));
    }
    if (/[\s<>^|%"\[\]]/.test(hostname.replace(/^\[[0-9a-f:.]*\]$/, '')) || (hostname === '' && isSpecial && protocol !== 'file:')) return null;
    if (special[protocol] === port) port = '';
    const segs = [];
    for (const seg of path.split('/').slice(1)) {
      if (seg === '..') segs.pop();
      else if (seg !== '.') segs.push(seg);
    }
    if (path !== '' && (path.endsWith('/.') || path.endsWith('/..'))) segs.push('');
    path = segs.length ? '/' + segs.map((s) => enc(s, ' "<>`{}#?')).join('/') : (isSpecial ? '/' : '');
    const search = query === null ? '' : enc(query, isSpecial ? ' "#<>\'' : ' "#<>');
    const hash = frag === null ? '' : enc(frag, ' "<>`');
    const userinfo = username || password ? username + (password ? ':' + password : '') + '@' : '';
    const href = protocol + '//' + userinfo + hostname + (port ? ':' + port : '') + path +
      (query === null ? '' : '?' + search) + (frag === null ? '' : '#' + hash);
    return {
      href, protocol, username, password, hostname, port, pathname: path,
      search: search ? '?' + search : '', hash: hash ? '#' + hash : '',
    };
  }

  function urlParse(input, base) {
    if (/^[a-zA-Z][a-zA-Z0-9+.\-]*:/.test(input)) {
      const scheme = input.slice(0, input.indexOf(':') + 1).toLowerCase();
      const b = base === undefined ? null : parseAbsolute(base);
      const rest = input.slice(scheme.length);
      if (!(b && b.protocol === scheme && scheme in special && !/^[\/\\]/.test(rest))) return parseAbsolute(input);
      input = rest;
    }
    if (base === undefined) return null;
    const b = parseAbsolute(base);
    if (!b) return null;
    const origin = b.protocol + '//' + (b.username || b.password ? b.username + (b.password ? ':' + b.password : '') + '@' : '') +
      b.hostname + (b.port ? ':' + b.port : '');
    const noHash = b.href.replace(/#[\s\S]*$/, '');
    if (/^[\/\\]{2}/.test(input)) return parseAbsolute(b.protocol + input);
    if (/^[\/\\]/.test(input)) return parseAbsolute(origin + input);
    if (input.startsWith('?')) return parseAbsolute(noHash.replace(/\?[\s\S]*$/, '') + input);
    if (input.startsWith('#')) return parseAbsolute(noHash + input);
    if (input === '') return parseAbsolute(noHash);
    return parseAbsolute(origin + b.pathname.replace(/[^\/]*$/, '') + input);
  }

  // --- native and the embedded files ------------------------------------------------------
  const internal = {};
  let hostErrors = 0;
  const toHost = (kind, e) => {
    hostErrors++;
    printErr(`Uncaught (host, kind ${kind}): ${e && e.name}: ${e && e.message}\n${e && e.stack}`);
  };
  const native = {
    version: '0.1.0',
    baseURL: undefined,
    print: (level, text) => (level >= 2 ? printErr : print)(String(text)),
    reportError(e, skipDispatch) {
      if (!skipDispatch && internal.dispatchError && internal.dispatchError(1, e)) return;
      toHost(1, e);
    },
    utf8Encode,
    utf8EncodeInto,
    utf8Decode,
    urlParse: (input, base) => urlParse(String(input), base === undefined ? undefined : String(base)),
    httpRequest(spec, onResponse, onEnd) {
      shellSetTimeout(() => onEnd(7, "Couldn't connect to server", null), 0);
      return 1;
    },
    httpAbort() {},
  };
  report = (e) => native.reportError(e);

  // Evaluation order: EDDY_JS_SOURCES in CMakeLists.txt, as eddy embeds them.
  let order = ['internal.js', 'events.js', 'abort.js', 'encoding.js', 'url.js', 'headers.js', 'fetch.js'];
  try {
    const m = /set\(EDDY_JS_SOURCES([^)]*)\)/.exec(readFile(`${root}/CMakeLists.txt`));
    if (m) order = m[1].trim().split(/\s+/);
  } catch {
    // keep the default
  }
  for (const name of order.map((f) => f.replace(/\.js$/, ''))) {
    const fn = (0, eval)(readFile(`${root}/src/js/${name}.js`) + `\n//# sourceURL=eddy:${name}.js`);
    fn(native, internal);
  }
  globalThis.eddy = { args, version: '0.1.0' };
  for (const file of [`${root}/tests/js/harness.js`, testFile]) {
    try {
      load(file);
    } catch (e) {
      native.reportError(e);
    }
  }
})(arguments);
