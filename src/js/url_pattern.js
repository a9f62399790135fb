(function (native, internal) {
  'use strict';

  // URLPattern (the WHATWG URL Pattern Standard), written from its algorithms; the section
  // names below are the standard's. Fixed text is canonicalized by eddy's own URL parser
  // (native.urlSet's state overrides on a dummy URL, internal.parseURL), matching is RegExp
  // with the flags the standard gives ('v', 'vi').

  const { toUSVString, parseURL } = internal;
  const { reflectApply } = internal.intrinsics;

  // Taken at install, so that a script's later patch of RegExp.prototype.exec or of String or
  // Array methods changes nothing here; strings are walked with these and indexing only.
  const uncurry = (f) => reflectApply(Function.prototype.bind, Function.prototype.call, [f]);
  const RegExpCtor = RegExp;
  const regExpExec = uncurry(RegExp.prototype.exec);
  const strSlice = uncurry(String.prototype.slice);
  const charCodeAt = uncurry(String.prototype.charCodeAt);
  const toLowerCase = uncurry(String.prototype.toLowerCase);
  const TypeErrorCtor = TypeError;
  const ObjectCreate = Object.create;
  const defineProperty = Object.defineProperty;

  const fail = (what) => new TypeErrorCtor(`URLPattern: ${what}`);

  // A string as a list of code points (each a one- or two-unit string): the standard indexes
  // pattern strings by code point.
  function codePoints(s) {
    const out = [];
    for (let i = 0; i < s.length; i++) {
      const c = charCodeAt(s, i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
        const d = charCodeAt(s, i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) {
          out[out.length] = strSlice(s, i, i + 2);
          i++;
          continue;
        }
      }
      out[out.length] = s[i];
    }
    return out;
  }

  function substring(cps, start, end) {
    let s = '';
    for (let i = start; i < end && i < cps.length; i++) s += cps[i];
    return s;
  }

  const idStart = /^[$_\p{ID_Start}]$/u;
  const idPart = /^[$\u200C\u200D\p{ID_Continue}]$/u;
  // "is a valid name code point"; ASCII without the Unicode property tables (compiled by the
  // first non-ASCII name only).
  function isNameCodePoint(cp, first) {
    if (cp.length === 1 && cp < '\x80') {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp === '$' || cp === '_' ||
        (!first && cp >= '0' && cp <= '9');
    }
    return regExpExec(first ? idStart : idPart, cp) !== null;
  }
  const isASCII = (cp) => cp.length === 1 && charCodeAt(cp, 0) < 0x80;
  const isASCIIDigit = (cp) => cp !== undefined && cp >= '0' && cp <= '9' && cp.length === 1;

  // --- Tokenizing ---------------------------------------------------------------------------------

  const T_OPEN = 1;
  const T_CLOSE = 2;
  const T_REGEXP = 3;
  const T_NAME = 4;
  const T_CHAR = 5;
  const T_ESCAPED = 6;
  const T_MODIFIER = 7; // other-modifier: ? or +
  const T_ASTERISK = 8;
  const T_END = 9;
  const T_INVALID = 10;

  // "tokenize" given input and a policy (strict: a tokenizing error throws; lenient: it becomes
  // an invalid-char token). cps is the input as code points.
  function tokenize(cps, lenient) {
    const tokens = [];
    const n = cps.length;
    let index = 0;
    let next = 0;
    let cp;
    const getNext = () => { cp = cps[next++]; };
    const seek = (i) => { next = i; getNext(); };
    const add = (type, nextPos, valuePos, valueLen) => {
      tokens[tokens.length] = { type, index, value: substring(cps, valuePos, valuePos + valueLen) };
      index = nextPos;
    };
    const addDefault = (type, nextPos, valuePos) => add(type, nextPos, valuePos, nextPos - valuePos);
    const error = (nextPos, valuePos) => {
      if (!lenient) throw fail(`invalid pattern '${substring(cps, 0, n)}' at ${valuePos}`);
      addDefault(T_INVALID, nextPos, valuePos);
    };
    while (index < n) {
      seek(index);
      if (cp === '*') { addDefault(T_ASTERISK, next, index); continue; }
      if (cp === '+' || cp === '?') { addDefault(T_MODIFIER, next, index); continue; }
      if (cp === '\\') {
        if (index === n - 1) { error(next, index); continue; }
        const escapedIndex = next;
        getNext();
        addDefault(T_ESCAPED, next, escapedIndex);
        continue;
      }
      if (cp === '{') { addDefault(T_OPEN, next, index); continue; }
      if (cp === '}') { addDefault(T_CLOSE, next, index); continue; }
      if (cp === ':') {
        let pos = next;
        const start = pos;
        while (pos < n) {
          seek(pos);
          if (!isNameCodePoint(cp, pos === start)) break;
          pos = next;
        }
        if (pos <= start) { error(start, index); continue; }
        addDefault(T_NAME, pos, start);
        continue;
      }
      if (cp === '(') {
        let depth = 1;
        let pos = next;
        const start = pos;
        let bad = false;
        while (pos < n) {
          seek(pos);
          if (!isASCII(cp)) { error(start, index); bad = true; break; }
          if (pos === start && cp === '?') { error(start, index); bad = true; break; }
          if (cp === '\\') {
            if (pos === n - 1) { error(start, index); bad = true; break; }
            getNext();
            if (!isASCII(cp)) { error(start, index); bad = true; break; }
            pos = next;
            continue;
          }
          if (cp === ')') {
            depth--;
            if (depth === 0) { pos = next; break; }
          } else if (cp === '(') {
            depth++;
            if (pos === n - 1) { error(start, index); bad = true; break; }
            const tmp = next;
            getNext();
            if (cp !== '?') { error(start, index); bad = true; break; }
            next = tmp;
          }
          pos = next;
        }
        if (bad) continue;
        if (depth !== 0) { error(start, index); continue; }
        const length = pos - start - 1;
        if (length === 0) { error(start, index); continue; }
        add(T_REGEXP, pos, start, length);
        continue;
      }
      addDefault(T_CHAR, next, index);
    }
    addDefault(T_END, index, index);
    return tokens;
  }

  // --- Parts and parsing --------------------------------------------------------------------------

  const P_FIXED = 1;
  const P_REGEXP = 2;
  const P_SEGMENT = 3; // segment-wildcard
  const P_FULL = 4; // full-wildcard

  const M_NONE = '';
  const M_OPTIONAL = '?';
  const M_ZERO_OR_MORE = '*'; // and '+', one or more: a modifier is its own string form

  const FULL_WILDCARD = '.*';

  // "escape a regexp string"
  function escapeRegExp(s) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      switch (c) {
        case '.': case '+': case '*': case '?': case '^': case '$': case '{': case '}':
        case '(': case ')': case '[': case ']': case '|': case '/': case '\\':
          out += '\\';
      }
      out += c;
    }
    return out;
  }

  // "escape a pattern string"
  function escapePattern(s) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      switch (c) {
        case '+': case '*': case '?': case ':': case '{': case '}': case '(': case ')': case '\\':
          out += '\\';
      }
      out += c;
    }
    return out;
  }

  // Options: delimiter and prefix code points, ignore case.
  const defaultOptions = { delimiter: '', prefix: '', ignoreCase: false };
  const hostnameOptions = { delimiter: '.', prefix: '', ignoreCase: false };

  const segmentWildcard = (options) => `[^${escapeRegExp(options.delimiter)}]+?`;

  // "parse a pattern string" → a part list
  function parsePattern(input, options, encode) {
    const tokens = tokenize(codePoints(input), false);
    const parts = [];
    const segment = segmentWildcard(options);
    let pending = '';
    let index = 0;
    let nextNumericName = 0;

    const tryConsume = (type) => {
      const t = tokens[index];
      if (t.type !== type) return null;
      index++;
      return t;
    };
    const tryModifier = () => tryConsume(T_MODIFIER) || tryConsume(T_ASTERISK);
    const tryRegexpOrWildcard = (nameToken) => {
      const t = tryConsume(T_REGEXP);
      return nameToken === null && t === null ? tryConsume(T_ASTERISK) : t;
    };
    const consumeRequired = (type) => {
      const t = tryConsume(type);
      if (t === null) throw fail(`invalid pattern '${input}'`);
      return t;
    };
    const consumeText = () => {
      let s = '';
      for (;;) {
        const t = tryConsume(T_CHAR) || tryConsume(T_ESCAPED);
        if (t === null) return s;
        s += t.value;
      }
    };
    const flushPending = () => {
      if (pending === '') return;
      const value = encode(pending);
      pending = '';
      parts[parts.length] = { type: P_FIXED, value, modifier: M_NONE, name: '', prefix: '', suffix: '' };
    };
    const addPart = (prefix, nameToken, regexpToken, suffix, modifierToken) => {
      const modifier = modifierToken === null ? M_NONE : modifierToken.value;
      if (nameToken === null && regexpToken === null && modifier === M_NONE) {
        pending += prefix;
        return;
      }
      flushPending();
      if (nameToken === null && regexpToken === null) {
        if (prefix === '') return;
        parts[parts.length] = { type: P_FIXED, value: encode(prefix), modifier, name: '', prefix: '', suffix: '' };
        return;
      }
      let value;
      if (regexpToken === null) value = segment;
      else if (regexpToken.type === T_ASTERISK) value = FULL_WILDCARD;
      else value = regexpToken.value;
      let type = P_REGEXP;
      if (value === segment) {
        type = P_SEGMENT;
        value = '';
      } else if (value === FULL_WILDCARD) {
        type = P_FULL;
        value = '';
      }
      let name = '';
      if (nameToken !== null) name = nameToken.value;
      else name = `${nextNumericName++}`;
      for (let i = 0; i < parts.length; i++) {
        if (parts[i].name === name) throw fail(`duplicate group name '${name}' in '${input}'`);
      }
      parts[parts.length] = { type, value, modifier, name, prefix: encode(prefix), suffix: encode(suffix) };
    };

    while (index < tokens.length) {
      const charToken = tryConsume(T_CHAR);
      let nameToken = tryConsume(T_NAME);
      let regexpToken = tryRegexpOrWildcard(nameToken);
      if (nameToken !== null || regexpToken !== null) {
        let prefix = charToken === null ? '' : charToken.value;
        if (prefix !== '' && prefix !== options.prefix) {
          pending += prefix;
          prefix = '';
        }
        flushPending();
        addPart(prefix, nameToken, regexpToken, '', tryModifier());
        continue;
      }
      const fixedToken = charToken || tryConsume(T_ESCAPED);
      if (fixedToken !== null) {
        pending += fixedToken.value;
        continue;
      }
      if (tryConsume(T_OPEN) !== null) {
        const prefix = consumeText();
        nameToken = tryConsume(T_NAME);
        regexpToken = tryRegexpOrWildcard(nameToken);
        const suffix = consumeText();
        consumeRequired(T_CLOSE);
        addPart(prefix, nameToken, regexpToken, suffix, tryModifier());
        continue;
      }
      flushPending();
      consumeRequired(T_END);
    }
    return parts;
  }

  // --- Converting part lists to regular expressions and to pattern strings ----------------------

  // "generate a regular expression and name list"
  function generateRegExp(parts, options) {
    let re = '^';
    const names = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.type === P_FIXED) {
        if (part.modifier === M_NONE) re += escapeRegExp(part.value);
        else re += `(?:${escapeRegExp(part.value)})${part.modifier}`;
        continue;
      }
      names[names.length] = part.name;
      let value = part.value;
      if (part.type === P_SEGMENT) value = segmentWildcard(options);
      else if (part.type === P_FULL) value = FULL_WILDCARD;
      const m = part.modifier;
      if (part.prefix === '' && part.suffix === '') {
        if (m === M_NONE || m === M_OPTIONAL) re += `(${value})${m}`;
        else re += `((?:${value})${m})`;
        continue;
      }
      const prefix = escapeRegExp(part.prefix);
      const suffix = escapeRegExp(part.suffix);
      if (m === M_NONE || m === M_OPTIONAL) {
        re += `(?:${prefix}(${value})${suffix})${m}`;
        continue;
      }
      re += `(?:${prefix}((?:${value})(?:${suffix}${prefix}(?:${value}))*)${suffix})`;
      if (m === M_ZERO_OR_MORE) re += '?';
    }
    return { source: re + '$', names };
  }

  // "generate a pattern string"
  function generatePatternString(parts, options) {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const previous = i > 0 ? parts[i - 1] : null;
      const next = i < parts.length - 1 ? parts[i + 1] : null;
      if (part.type === P_FIXED) {
        if (part.modifier === M_NONE) out += escapePattern(part.value);
        else out += `{${escapePattern(part.value)}}${part.modifier}`;
        continue;
      }
      const customName = !isASCIIDigit(part.name[0]);
      let grouping = part.suffix !== '' || (part.prefix !== '' && part.prefix !== options.prefix);
      if (!grouping && customName && part.type === P_SEGMENT && part.modifier === M_NONE &&
          next !== null && next.prefix === '' && next.suffix === '') {
        if (next.type === P_FIXED) {
          grouping = next.value !== '' && isNameCodePoint(codePoints(next.value)[0], false);
        } else {
          grouping = isASCIIDigit(next.name[0]);
        }
      }
      if (!grouping && part.prefix === '' && previous !== null && previous.type === P_FIXED &&
          previous.value !== '' && previous.value[previous.value.length - 1] === options.prefix) {
        grouping = true;
      }
      if (grouping) out += '{';
      out += escapePattern(part.prefix);
      if (customName) out += ':' + part.name;
      if (part.type === P_REGEXP) {
        out += `(${part.value})`;
      } else if (part.type === P_SEGMENT && !customName) {
        out += `(${segmentWildcard(options)})`;
      } else if (part.type === P_FULL) {
        if (!customName && (previous === null || previous.type === P_FIXED ||
            previous.modifier !== M_NONE || grouping || part.prefix !== '')) {
          out += '*';
        } else {
          out += `(${FULL_WILDCARD})`;
        }
      }
      if (part.type === P_SEGMENT && customName && part.suffix !== '' &&
          isNameCodePoint(codePoints(part.suffix)[0], false)) {
        out += '\\';
      }
      out += escapePattern(part.suffix);
      if (grouping) out += '}';
      out += part.modifier;
    }
    return out;
  }

  // "compile a component"
  function compileComponent(input, encode, options) {
    const parts = parsePattern(input, options, encode);
    const { source, names } = generateRegExp(parts, options);
    let regexp;
    try {
      regexp = new RegExpCtor(source, options.ignoreCase ? 'vi' : 'v');
    } catch (e) {
      throw fail(`invalid regular expression in '${input}': ${e.message}`);
    }
    let hasRegExpGroups = false;
    for (let i = 0; i < parts.length; i++) if (parts[i].type === P_REGEXP) hasRegExpGroups = true;
    return { pattern: generatePatternString(parts, options), regexp, names, hasRegExpGroups };
  }

  const specialSchemes = ['ftp', 'file', 'http', 'https', 'ws', 'wss'];
  const defaultPorts = { __proto__: null, ftp: '21', http: '80', https: '443', ws: '80', wss: '443' };
  const isSpecialScheme = (s) => s === 'ftp' || s === 'file' || s === 'http' || s === 'https' ||
    s === 'ws' || s === 'wss';

  // "protocol component matches a special scheme"
  function matchesSpecialScheme(component) {
    for (let i = 0; i < specialSchemes.length; i++) {
      if (regExpExec(component.regexp, specialSchemes[i]) !== null) return true;
    }
    return false;
  }

  // "hostname pattern is an IPv6 address"
  function isIPv6Pattern(s) {
    if (s.length < 2) return false;
    return s[0] === '[' || ((s[0] === '{' || s[0] === '\\') && s[1] === '[');
  }

  // --- Canonicalization: encoding callbacks ------------------------------------------------------

  // The dummy URL is "https://dummy.invalid/"; native.urlSet runs the URL Standard's setter with
  // its state override on it and leaves the component offsets in native.urlComps.
  const DUMMY = 'https://dummy.invalid/';
  const comps = native.urlCompsView(native.urlComps);
  const urlSet = native.urlSet;
  const SET_USERNAME = 2;
  const SET_PASSWORD = 3;
  const SET_HOSTNAME = 5;
  const SET_PORT = 6;
  const SET_PATHNAME = 7;
  const SET_SEARCH = 8;
  const SET_HASH = 9;

  // The setter on a dummy URL → [href, start, end] of the component `which` set (start and end
  // are urlComps indexes).
  function setOnDummy(dummy, which, value, start, end) {
    const href = urlSet(dummy, which, value);
    if (href === null) throw fail(`cannot canonicalize '${value}'`);
    return strSlice(href, comps[start], comps[end]);
  }

  function canonicalizeProtocol(value) {
    if (value === '') return value;
    const rec = parseURL(value + '://dummy.invalid/', undefined);
    if (rec === null) throw fail(`invalid protocol '${value}'`);
    return rec.scheme;
  }

  const canonicalizeUsername = (value) => (value === '' ? value : setOnDummy(DUMMY, SET_USERNAME, value, 1, 2));
  const canonicalizePassword = (value) => (value === '' ? value : setOnDummy(DUMMY, SET_PASSWORD, value, 3, 4));

  // The API setters leave the URL as it was where the basic URL parser fails; the standard
  // throws there. A value that fails leaves the dummy's own host on both of two dummies.
  function canonicalizeHostname(value) {
    if (value === '') return value;
    const host = setOnDummy(DUMMY, SET_HOSTNAME, value, 5, 6);
    if (host === 'dummy.invalid' &&
        setOnDummy('https://other.invalid/', SET_HOSTNAME, value, 5, 6) === 'other.invalid') {
      throw fail(`invalid hostname '${value}'`);
    }
    return host;
  }

  function canonicalizeIPv6Hostname(value) {
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
            c === '[' || c === ']' || c === ':')) {
        throw fail(`invalid IPv6 hostname '${value}'`);
      }
      out += toLowerCase(c);
    }
    return out;
  }

  // A scheme without a default port gives every valid port a number (urlComps[7] >= 0), so a
  // failure is told apart from a default port; that one is the special scheme's own table.
  function canonicalizePort(value, protocol) {
    if (value === '') return value;
    const href = urlSet('x://dummy.invalid/', SET_PORT, value);
    if (href === null || comps[7] < 0) throw fail(`invalid port '${value}'`);
    const port = `${comps[7]}`;
    if (protocol !== undefined && defaultPorts[protocol] === port) return '';
    return port;
  }

  // Path start state with the state override, on a path emptied by the setter; "/-" keeps the
  // parser from prepending a slash or collapsing a leading dot segment.
  function canonicalizePathname(value) {
    if (value === '') return value;
    const leadingSlash = value[0] === '/';
    const path = setOnDummy(DUMMY, SET_PATHNAME, leadingSlash ? value : '/-' + value, 8, 9);
    return leadingSlash ? path : strSlice(path, 2);
  }

  // The opaque path state: parsed as the path of a URL that can only have an opaque one ("-"
  // before it keeps a leading "/" opaque, "-" after it keeps trailing spaces); the state ends
  // the path at "?" or "#".
  function canonicalizeOpaquePathname(value) {
    if (value === '') return value;
    const rec = parseURL('a:-' + value + '-', undefined);
    if (rec === null) throw fail(`invalid pathname '${value}'`);
    const path = strSlice(rec.pathname, 1);
    return rec.queryStart < 0 && rec.fragmentStart < 0 ? strSlice(path, 0, path.length - 1) : path;
  }

  // The search and hash setters drop one leading "?" or "#": one is put before the value.
  function canonicalizeSearch(value) {
    if (value === '') return value;
    const href = urlSet(DUMMY, SET_SEARCH, '?' + value);
    const end = comps[11] < 0 ? href.length : comps[11];
    return comps[10] < 0 ? '' : strSlice(href, comps[10] + 1, end);
  }

  function canonicalizeHash(value) {
    if (value === '') return value;
    const href = urlSet(DUMMY, SET_HASH, '#' + value);
    return comps[11] < 0 ? '' : strSlice(href, comps[11] + 1);
  }

  // --- Constructor string parsing -----------------------------------------------------------------

  const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search',
    'hash'];

  // "parse a constructor string" → a URLPatternInit (a null-prototype object of the members
  // found). States are named as the components they collect, plus init, authority and done.
  function parseConstructorString(input) {
    const cps = codePoints(input);
    const tokens = tokenize(cps, true);
    const result = ObjectCreate(null);
    let state = 'init';
    let componentStart = 0;
    let tokenIndex = 0;
    let tokenIncrement = 1;
    let groupDepth = 0;
    let ipv6Depth = 0;
    let protocolSpecial = false;

    const safeToken = (i) => (i < tokens.length ? tokens[i] : tokens[tokens.length - 1]);
    // "is a non-special pattern char"
    const isChar = (i, value) => {
      const t = safeToken(i);
      return t.value === value && (t.type === T_CHAR || t.type === T_ESCAPED || t.type === T_INVALID);
    };
    const here = (value) => isChar(tokenIndex, value);
    const isSearchPrefix = () => {
      if (here('?')) return true;
      if (tokens[tokenIndex].value !== '?') return false;
      if (tokenIndex === 0) return true;
      const t = safeToken(tokenIndex - 1).type;
      return !(t === T_NAME || t === T_REGEXP || t === T_CLOSE || t === T_ASTERISK);
    };
    const makeComponentString = () =>
      substring(cps, safeToken(componentStart).index, tokens[tokenIndex].index);
    const rewind = () => {
      tokenIndex = componentStart;
      tokenIncrement = 0;
    };
    const rewindAndSet = (s) => {
      rewind();
      state = s;
    };
    const changeState = (next, skip) => {
      if (state !== 'init' && state !== 'authority' && state !== 'done') {
        result[state] = makeComponentString();
      }
      if (state !== 'init' && next !== 'done') {
        const identity = state === 'protocol' || state === 'authority' || state === 'username' ||
          state === 'password';
        const beforePath = identity || state === 'hostname' || state === 'port';
        if (identity && (next === 'port' || next === 'pathname' || next === 'search' || next === 'hash') &&
            !('hostname' in result)) {
          result.hostname = '';
        }
        if (beforePath && (next === 'search' || next === 'hash') && !('pathname' in result)) {
          result.pathname = protocolSpecial ? '/' : '';
        }
        if ((beforePath || state === 'pathname') && next === 'hash' && !('search' in result)) {
          result.search = '';
        }
      }
      state = next;
      tokenIndex += skip;
      componentStart = tokenIndex;
      tokenIncrement = 0;
    };

    while (tokenIndex < tokens.length) {
      tokenIncrement = 1;
      const type = tokens[tokenIndex].type;
      if (type === T_END) {
        if (state === 'init') {
          // No protocol: a relative pattern, starting with whichever component its first
          // code point begins.
          rewind();
          if (here('#')) changeState('hash', 1);
          else if (isSearchPrefix()) changeState('search', 1);
          else changeState('pathname', 0);
          tokenIndex += tokenIncrement;
          continue;
        }
        if (state === 'authority') {
          rewindAndSet('hostname');
          tokenIndex += tokenIncrement;
          continue;
        }
        changeState('done', 0);
        break;
      }
      if (type === T_OPEN) {
        groupDepth++;
        tokenIndex += tokenIncrement;
        continue;
      }
      if (groupDepth > 0) {
        if (type !== T_CLOSE) {
          tokenIndex += tokenIncrement;
          continue;
        }
        groupDepth--;
      }
      switch (state) {
        case 'init':
          if (here(':')) rewindAndSet('protocol');
          break;
        case 'protocol':
          if (here(':')) {
            const protocol = compileComponent(makeComponentString(), canonicalizeProtocol, defaultOptions);
            if (matchesSpecialScheme(protocol)) protocolSpecial = true;
            if (isChar(tokenIndex + 1, '/') && isChar(tokenIndex + 2, '/')) changeState('authority', 3);
            else changeState(protocolSpecial ? 'authority' : 'pathname', 1);
          }
          break;
        case 'authority':
          if (here('@')) rewindAndSet('username');
          else if (here('/') || isSearchPrefix() || here('#')) rewindAndSet('hostname');
          break;
        case 'username':
          if (here(':')) changeState('password', 1);
          else if (here('@')) changeState('hostname', 1);
          break;
        case 'password':
          if (here('@')) changeState('hostname', 1);
          break;
        case 'hostname':
          if (here('[')) ipv6Depth++;
          else if (here(']')) ipv6Depth--;
          else if (here(':') && ipv6Depth === 0) changeState('port', 1);
          else if (here('/')) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (here('#')) changeState('hash', 1);
          break;
        case 'port':
          if (here('/')) changeState('pathname', 0);
          else if (isSearchPrefix()) changeState('search', 1);
          else if (here('#')) changeState('hash', 1);
          break;
        case 'pathname':
          if (isSearchPrefix()) changeState('search', 1);
          else if (here('#')) changeState('hash', 1);
          break;
        case 'search':
          if (here('#')) changeState('hash', 1);
          break;
      }
      tokenIndex += tokenIncrement;
    }
    // A hostname without a port means the default port ("https://*:*" for any).
    if ('hostname' in result && !('port' in result)) result.port = '';
    return result;
  }

  // --- URLPatternInit processing ------------------------------------------------------------------

  const fragmentOf = (rec) => (rec.fragmentStart < 0 ? '' : strSlice(rec.href, rec.fragmentStart + 1));

  function lastSlash(s) {
    for (let i = s.length - 1; i >= 0; i--) if (s[i] === '/') return i;
    return -1;
  }

  // "is an absolute pathname"
  function isAbsolutePathname(s, type) {
    if (s === '') return false;
    if (s[0] === '/') return true;
    if (type === 'url' || s.length < 2) return false;
    return (s[0] === '\\' || s[0] === '{') && s[1] === '/';
  }

  // "process a URLPatternInit": type is 'pattern' (the constructor: values are pattern strings,
  // canonicalized later by compiling) or 'url' (test and exec: values are canonicalized now).
  function processInit(init, type, protocol, username, password, hostname, port, pathname, search, hash) {
    const result = ObjectCreate(null);
    if (protocol !== null) result.protocol = protocol;
    if (username !== null) result.username = username;
    if (password !== null) result.password = password;
    if (hostname !== null) result.hostname = hostname;
    if (port !== null) result.port = port;
    if (pathname !== null) result.pathname = pathname;
    if (search !== null) result.search = search;
    if (hash !== null) result.hash = hash;
    const pattern = type === 'pattern';
    const baseString = (s) => (pattern ? escapePattern(s) : s);
    let base = null;
    // Each component comes from the base URL unless init has one at least as specific.
    if ('baseURL' in init) {
      base = parseURL(init.baseURL, undefined);
      if (base === null) throw fail(`invalid base URL '${init.baseURL}'`);
      const p = 'protocol' in init;
      const h = p || 'hostname' in init;
      const o = h || 'port' in init;
      if (!p) result.protocol = baseString(base.scheme);
      if (!pattern && !o && !('username' in init)) {
        result.username = baseString(base.username);
        if (!('password' in init)) result.password = baseString(base.password);
      }
      if (!h) result.hostname = baseString(base.hostname);
      if (!o) {
        result.port = base.port;
        if (!('pathname' in init)) {
          result.pathname = baseString(base.pathname);
          if (!('search' in init)) {
            result.search = baseString(base.query === null ? '' : base.query);
            if (!('hash' in init)) result.hash = baseString(fragmentOf(base));
          }
        }
      }
    }
    if ('protocol' in init) {
      let v = init.protocol;
      if (v !== '' && v[v.length - 1] === ':') v = strSlice(v, 0, v.length - 1);
      result.protocol = pattern ? v : canonicalizeProtocol(v);
    }
    if ('username' in init) result.username = pattern ? init.username : canonicalizeUsername(init.username);
    if ('password' in init) result.password = pattern ? init.password : canonicalizePassword(init.password);
    if ('hostname' in init) result.hostname = pattern ? init.hostname : canonicalizeHostname(init.hostname);
    const resultProtocol = 'protocol' in result ? result.protocol : '';
    if ('port' in init) result.port = pattern ? init.port : canonicalizePort(init.port, resultProtocol);
    if ('pathname' in init) {
      let v = init.pathname;
      if (base !== null && !base.opaquePath && !isAbsolutePathname(v, type)) {
        const basePath = baseString(base.pathname);
        const slash = lastSlash(basePath);
        if (slash >= 0) v = strSlice(basePath, 0, slash + 1) + v;
      }
      if (!pattern) {
        v = isSpecialScheme(resultProtocol) || resultProtocol === ''
          ? canonicalizePathname(v) : canonicalizeOpaquePathname(v);
      }
      result.pathname = v;
    }
    if ('search' in init) {
      let v = init.search;
      if (v !== '' && v[0] === '?') v = strSlice(v, 1);
      result.search = pattern ? v : canonicalizeSearch(v);
    }
    if ('hash' in init) {
      let v = init.hash;
      if (v !== '' && v[0] === '#') v = strSlice(v, 1);
      result.hash = pattern ? v : canonicalizeHash(v);
    }
    return result;
  }

  // --- The URLPattern class -----------------------------------------------------------------------

  // Web IDL: URLPatternInit, its members in lexicographic order; only those present.
  const INIT_MEMBERS = ['baseURL', 'hash', 'hostname', 'password', 'pathname', 'port', 'protocol',
    'search', 'username'];

  function toInit(v) {
    const init = ObjectCreate(null);
    if (v === undefined || v === null) return init;
    for (let i = 0; i < INIT_MEMBERS.length; i++) {
      const key = INIT_MEMBERS[i];
      const value = v[key];
      if (value !== undefined) init[key] = toUSVString(value);
    }
    return init;
  }

  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

  // (USVString or URLPatternInit): a dictionary for an object, null or undefined.
  const toInput = (v) => (v === undefined || v === null || isObject(v) ? toInit(v) : toUSVString(v));

  // The dictionary as a script sees it (exec's inputs): a plain object of the members present.
  function initObject(init) {
    const o = {};
    for (let i = 0; i < INIT_MEMBERS.length; i++) {
      const key = INIT_MEMBERS[i];
      if (key in init) o[key] = init[key];
    }
    return o;
  }

  function toOptions(v) {
    if (v === undefined || v === null) return false;
    if (!isObject(v)) throw new TypeErrorCtor('URLPattern: options must be an object');
    return !!v.ignoreCase;
  }

  // "create" a URL pattern
  function create(input, baseURL, ignoreCase) {
    let init;
    if (typeof input === 'string') {
      init = parseConstructorString(input);
      if (baseURL === null && !('protocol' in init)) {
        throw fail(`relative pattern '${input}' without a base URL`);
      }
      if (baseURL !== null) init.baseURL = baseURL;
    } else {
      if (baseURL !== null) throw fail('a base URL is given with a URLPatternInit');
      init = input;
    }
    const p = processInit(init, 'pattern', null, null, null, null, null, null, null, null);
    for (let i = 0; i < COMPONENTS.length; i++) if (!(COMPONENTS[i] in p)) p[COMPONENTS[i]] = '*';
    if (isSpecialScheme(p.protocol) && p.port === defaultPorts[p.protocol]) p.port = '';
    const c = ObjectCreate(null);
    c.protocol = compileComponent(p.protocol, canonicalizeProtocol, defaultOptions);
    c.username = compileComponent(p.username, canonicalizeUsername, defaultOptions);
    c.password = compileComponent(p.password, canonicalizePassword, defaultOptions);
    c.hostname = compileComponent(p.hostname,
      isIPv6Pattern(p.hostname) ? canonicalizeIPv6Hostname : canonicalizeHostname, hostnameOptions);
    c.port = compileComponent(p.port, canonicalizePort, defaultOptions);
    // The default and pathname options with the ignore case the caller asked for.
    const options = { delimiter: '', prefix: '', ignoreCase };
    if (matchesSpecialScheme(c.protocol)) {
      c.pathname = compileComponent(p.pathname, canonicalizePathname,
        { delimiter: '/', prefix: '/', ignoreCase });
    } else {
      c.pathname = compileComponent(p.pathname, canonicalizeOpaquePathname, options);
    }
    c.search = compileComponent(p.search, canonicalizeSearch, options);
    c.hash = compileComponent(p.hash, canonicalizeHash, options);
    return c;
  }

  // "match": the component values of the input, then each component's expression on its own.
  function match(components, input, baseURL, baseGiven) {
    const values = ObjectCreate(null);
    const inputs = [];
    if (typeof input !== 'string') {
      if (baseGiven) throw fail('a base URL is given with a URLPatternInit');
      inputs[0] = initObject(input);
      let applied;
      try {
        applied = processInit(input, 'url', '', '', '', '', '', '', '', '');
      } catch (e) {
        return null;
      }
      for (let i = 0; i < COMPONENTS.length; i++) values[COMPONENTS[i]] = applied[COMPONENTS[i]];
    } else {
      inputs[0] = input;
      if (baseGiven) {
        if (parseURL(baseURL, undefined) === null) return null;
        inputs[1] = baseURL;
      }
      const rec = parseURL(input, baseGiven ? baseURL : undefined);
      if (rec === null) return null;
      values.protocol = rec.scheme;
      values.username = rec.username;
      values.password = rec.password;
      values.hostname = rec.hostname;
      values.port = rec.port;
      values.pathname = rec.pathname;
      values.search = rec.query === null ? '' : rec.query;
      values.hash = rec.fragmentStart < 0 ? '' : strSlice(rec.href, rec.fragmentStart + 1);
    }
    const execs = ObjectCreate(null);
    for (let i = 0; i < COMPONENTS.length; i++) {
      const name = COMPONENTS[i];
      const r = regExpExec(components[name].regexp, values[name]);
      if (r === null) return null;
      execs[name] = r;
    }
    const result = { inputs };
    for (let i = 0; i < COMPONENTS.length; i++) {
      const name = COMPONENTS[i];
      const { names } = components[name];
      const groups = {};
      for (let j = 0; j < names.length; j++) {
        defineProperty(groups, names[j], { value: execs[name][j + 1], writable: true, enumerable: true,
          configurable: true });
      }
      result[name] = { input: values[name], groups };
    }
    return result;
  }

  class URLPattern {
    #c;

    // Overloads: (input, baseURL, options) and (input = {}, options = {}); with two arguments
    // the second is the options for undefined, null or an object, else the base URL.
    constructor(input = undefined, baseURL = undefined, options = undefined) {
      let base = null;
      if (arguments.length >= 3 || (arguments.length === 2 && baseURL !== undefined && !isObject(baseURL) &&
          baseURL !== null)) {
        base = toUSVString(baseURL);
      } else {
        options = baseURL;
      }
      input = toInput(input);
      this.#c = create(input, base, toOptions(options));
    }

    test(input = undefined, baseURL = undefined) {
      const given = baseURL !== undefined;
      return match(this.#c, toInput(input), given ? toUSVString(baseURL) : undefined, given) !== null;
    }

    exec(input = undefined, baseURL = undefined) {
      const given = baseURL !== undefined;
      return match(this.#c, toInput(input), given ? toUSVString(baseURL) : undefined, given);
    }

    get protocol() { return this.#c.protocol.pattern; }
    get username() { return this.#c.username.pattern; }
    get password() { return this.#c.password.pattern; }
    get hostname() { return this.#c.hostname.pattern; }
    get port() { return this.#c.port.pattern; }
    get pathname() { return this.#c.pathname.pattern; }
    get search() { return this.#c.search.pattern; }
    get hash() { return this.#c.hash.pattern; }

    get hasRegExpGroups() {
      const c = this.#c;
      for (let i = 0; i < COMPONENTS.length; i++) if (c[COMPONENTS[i]].hasRegExpGroups) return true;
      return false;
    }
  }
  internal.makeInterface(URLPattern);
  internal.defineGlobal('URLPattern', URLPattern);
})
