// util.inspect's look-alike for console.js (internal.inspect): how a value is shown, objects
// above all. Installed on the first value console shows that is not a string, a number or
// another primitive written as it is (console.js), so a script that logs text never compiles
// it. The output aims to match Node's for everything standard JavaScript can observe; see
// tests/js/node-mock/console/ for the checked cases.
(function (native, internal) {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Builtins captured at load time, so that user code patching prototypes cannot break or
  // observe console output.
  const uncurry = Function.prototype.bind.bind(Function.prototype.call);
  const getterOf = (proto, name) => {
    const d = proto && Object.getOwnPropertyDescriptor(proto, name);
    return d && d.get ? uncurry(d.get) : undefined;
  };

  const ObjectPrototype = Object.prototype;
  const getPrototypeOf = Object.getPrototypeOf;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const getOwnPropertyNames = Object.getOwnPropertyNames;
  const getOwnPropertySymbols = Object.getOwnPropertySymbols;
  const objectKeys = Object.keys;
  const objectIs = Object.is;
  const isArray = Array.isArray;
  const hasOwn = uncurry(ObjectPrototype.hasOwnProperty);
  const isEnumerable = uncurry(ObjectPrototype.propertyIsEnumerable);
  const objectToString = uncurry(ObjectPrototype.toString);
  const functionToString = uncurry(Function.prototype.toString);
  const errorToString = uncurry(Error.prototype.toString);
  const symbolToString = uncurry(Symbol.prototype.toString);
  const RegExpPrototype = RegExp.prototype;
  const ErrorConstructor = Error;
  const regExpToString = uncurry(RegExp.prototype.toString);
  const regExpSource = getterOf(RegExp.prototype, 'source');
  const dateGetTime = uncurry(Date.prototype.getTime);
  const dateToISOString = uncurry(Date.prototype.toISOString);
  const mapSize = getterOf(Map.prototype, 'size');
  const mapEntries = uncurry(Map.prototype.entries);
  const setSize = getterOf(Set.prototype, 'size');
  const setValues = uncurry(Set.prototype.values);
  const setHas = uncurry(Set.prototype.has);
  const setAdd = uncurry(Set.prototype.add);
  const callFunction = uncurry(Function.prototype.call);
  const iteratorNext = (it) => it.next();
  const weakMapHas = uncurry(WeakMap.prototype.has);
  const weakSetHas = uncurry(WeakSet.prototype.has);
  const weakRefDeref = typeof WeakRef === 'function' ? uncurry(WeakRef.prototype.deref) : undefined;
  const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = getterOf(TypedArrayPrototype, Symbol.toStringTag);
  const typedArrayLength = getterOf(TypedArrayPrototype, 'length');
  const arrayBufferByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
  const sharedArrayBufferByteLength = typeof SharedArrayBuffer === 'function'
    ? getterOf(SharedArrayBuffer.prototype, 'byteLength') : undefined;
  const dataViewByteLength = getterOf(DataView.prototype, 'byteLength');
  const MathMin = Math.min;
  const MathMax = Math.max;
  const MathSqrt = Math.sqrt;
  const MathRound = Math.round;
  const MathFloor = Math.floor;

  const boxedTypes = [
    ['Number', uncurry(Number.prototype.valueOf)],
    ['String', uncurry(String.prototype.valueOf)],
    ['Boolean', uncurry(Boolean.prototype.valueOf)],
    ['BigInt', uncurry(BigInt.prototype.valueOf)],
    ['Symbol', uncurry(Symbol.prototype.valueOf)],
  ];

  // Function kinds are told apart by their prototype (the engines' internal flag is not
  // observable); each maps to the word Node prints.
  const functionKinds = new Map([
    [Function.prototype, 'Function'],
    [getPrototypeOf(async function () {}), 'AsyncFunction'],
    [getPrototypeOf(function* () {}), 'GeneratorFunction'],
    [getPrototypeOf(async function* () {}), 'AsyncGeneratorFunction'],
  ]);

  // Objects implementing this method control their own rendering (Node's convention).
  const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');

  // Try a brand-checking builtin: whether it throws tells whether `v` has that internal slot.
  const brand = (fn, v) => {
    if (fn === undefined) return false;
    try {
      fn(v);
      return true;
    } catch {
      return false;
    }
  };
  // ---------------------------------------------------------------------------------------
  // Options and styles

  const defaultOptions = {
    depth: 2,
    colors: false,
    showHidden: false,
    customInspect: true,
    maxArrayLength: 100,
    maxStringLength: 10000,
    breakLength: 80,
    compact: 3,
    sorted: false,
    getters: false,
  };

  // ANSI codes Node uses by default for each style.
  const styleColors = {
    special: [36, 39],
    number: [33, 39],
    bigint: [33, 39],
    boolean: [33, 39],
    undefined: [90, 39],
    null: [1, 22],
    string: [32, 39],
    symbol: [32, 39],
    date: [35, 39],
    regexp: [31, 39],
    module: [4, 24],
  };

  function stylizeWithColor(text, style) {
    const c = styleColors[style];
    return c === undefined ? text : `\u001b[${c[0]}m${text}\u001b[${c[1]}m`;
  }
  const stylizeNoColor = (text) => text;

  const ansiPattern = /\u001b\[\d\d?m/g;
  const stripAnsi = (s) => s.replace(ansiPattern, '');

  function isZeroWidth(cp) {
    return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
      (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
      (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f) ||
      (cp >= 0xfe20 && cp <= 0xfe2f) || (cp >= 0xe0100 && cp <= 0xe01ef);
  }

  // East Asian wide / fullwidth ranges and the common emoji blocks take two columns.
  function isWide(cp) {
    return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
      (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
      (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe10 && cp <= 0xfe19) ||
      (cp >= 0xfe30 && cp <= 0xfe6f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
      (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x1f680 && cp <= 0x1f6ff) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
  }

  // Columns a string occupies in a terminal (colour codes removed).
  function stringWidth(str) {
    str = stripAnsi(str);
    let width = 0;
    for (let i = 0; i < str.length; i++) {
      const cp = str.codePointAt(i);
      if (cp > 0xffff) i++;
      if (cp < 0x7f && cp >= 0x20) width++;
      else if (!isZeroWidth(cp)) width += isWide(cp) ? 2 : 1;
    }
    return width;
  }

  // ---------------------------------------------------------------------------------------
  // Primitives

  const controlEscapes = [];
  for (let i = 0; i < 0x20; i++) {
    controlEscapes.push('\\x' + i.toString(16).toUpperCase().padStart(2, '0'));
  }
  controlEscapes[8] = '\\b';
  controlEscapes[9] = '\\t';
  controlEscapes[10] = '\\n';
  controlEscapes[12] = '\\f';
  controlEscapes[13] = '\\r';

  // Quote a string the way a reader would type it: single quotes unless the text contains
  // them, then double quotes, then backticks; escape the rest.
  function quote(str) {
    let q = "'";
    if (str.includes("'")) {
      if (!str.includes('"')) q = '"';
      else if (!str.includes('`') && !str.includes('${')) q = '`';
    }
    let out = '';
    let last = 0;
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      let esc;
      if (c < 0x20) esc = controlEscapes[c];
      else if (c === 0x7f) esc = '\\x7F';
      else if (c === 0x5c) esc = '\\\\';
      else if (c === 0x27 && q === "'") esc = "\\'";
      else if (c >= 0xd800 && c <= 0xdfff) {
        const next = str.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
        esc = '\\u' + c.toString(16);
      }
      if (esc !== undefined) {
        out += str.slice(last, i) + esc;
        last = i + 1;
      }
    }
    return q + out + str.slice(last) + q;
  }

  const formatNumber = (stylize, n) => stylize(objectIs(n, -0) ? '-0' : `${n}`, 'number');
  const formatBigInt = (stylize, n) => stylize(`${n}n`, 'bigint');

  // Split after each newline, keeping the newline with its line.
  function splitAfterNewlines(str) {
    const parts = [];
    let start = 0;
    for (let i = str.indexOf('\n'); i !== -1 && i < str.length - 1; i = str.indexOf('\n', start)) {
      parts.push(str.slice(start, i + 1));
      start = i + 1;
    }
    parts.push(str.slice(start));
    return parts;
  }

  function formatPrimitive(ctx, value) {
    const stylize = ctx.stylize;
    switch (typeof value) {
      case 'string': {
        let trailer = '';
        if (value.length > ctx.maxStringLength) {
          const remaining = value.length - ctx.maxStringLength;
          value = value.slice(0, ctx.maxStringLength);
          trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
        }
        // Long multi-line strings are shown as a concatenation, one line per source line.
        if (ctx.compact !== true && value.length > 16 &&
            value.length > ctx.breakLength - ctx.indentationLvl - 4) {
          const glue = ` +\n${' '.repeat(ctx.indentationLvl + 2)}`;
          return splitAfterNewlines(value).map((l) => stylize(quote(l), 'string')).join(glue) +
            trailer;
        }
        return stylize(quote(value), 'string') + trailer;
      }
      case 'number': return formatNumber(stylize, value);
      case 'bigint': return formatBigInt(stylize, value);
      case 'boolean': return stylize(`${value}`, 'boolean');
      case 'undefined': return stylize('undefined', 'undefined');
      case 'symbol': return stylize(symbolToString(value), 'symbol');
      default: return stylize(String(value), 'special');
    }
  }

  // ---------------------------------------------------------------------------------------
  // Objects

  function safeInstanceOf(obj, ctor) {
    try {
      return obj instanceof ctor;
    } catch {
      return false;
    }
  }

  // Name of the nearest constructor on the prototype chain that really built `obj`, or null
  // for objects without prototype.
  function constructorName(ctx, obj) {
    const first = getPrototypeOf(obj);
    for (let o = obj; o !== null; o = getPrototypeOf(o)) {
      const d = getOwnPropertyDescriptor(o, 'constructor');
      if (d !== undefined && typeof d.value === 'function' && typeof d.value.name === 'string' &&
          d.value.name !== '' && safeInstanceOf(obj, d.value)) {
        return d.value.name;
      }
    }
    if (first === null) return null;
    // A chain without any named constructor: show the prototype itself, briefly.
    const protoText = inspectWith(first, { ...ctx.userOptions, customInspect: false, depth: -1 });
    return `Object <${protoText}>`;
  }

  function prefixOf(ctor, tag, fallback, size = '') {
    if (ctor === null) {
      if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
      return `[${fallback}${size}: null prototype] `;
    }
    if (tag !== '' && ctor !== tag) return `${ctor}${size} [${tag}] `;
    return `${ctor}${size} `;
  }

  function isIndexKey(key) {
    if (typeof key !== 'string' || key === '' || key.length > 10) return false;
    if (key.length > 1 && key.charCodeAt(0) === 48) return false;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    return +key < 4294967295;
  }

  // Own keys to list: enumerable ones (non-enumerable too with showHidden), strings first.
  function ownKeys(value, showHidden, skipIndices) {
    let keys;
    const symbols = getOwnPropertySymbols(value);
    if (showHidden) {
      keys = getOwnPropertyNames(value);
      for (const s of symbols) keys.push(s);
    } else {
      keys = objectKeys(value);
      for (const s of symbols) if (isEnumerable(value, s)) keys.push(s);
    }
    if (skipIndices) keys = keys.filter((k) => !isIndexKey(k));
    return keys;
  }

  function kindOf(value, builtinTag, rawTag) {
    if (isArray(value)) return 'array';
    if (typeof value === 'function') return 'function';
    // Every other builtin kind either has its own Object.prototype.toString tag or inherits a
    // Symbol.toStringTag, so most objects (plain and class instances) skip the brand checks.
    if (builtinTag === '[object Object]' && typeof rawTag !== 'string' && getPrototypeOf(value) !== null) {
      return 'object';
    }
    if (typedArrayTag(value) !== undefined) return 'typedarray';
    if (brand(mapSize, value)) return 'map';
    if (brand(setSize, value)) return 'set';
    if (brand(arrayBufferByteLength, value)) return 'arraybuffer';
    if (brand(sharedArrayBufferByteLength, value)) return 'sharedarraybuffer';
    if (brand(dataViewByteLength, value)) return 'dataview';
    if (brand(dateGetTime, value)) return 'date';
    if (value !== RegExpPrototype && brand(regExpSource, value)) return 'regexp';
    if (builtinTag === '[object Error]' || safeInstanceOf(value, ErrorConstructor)) return 'error';
    if (builtinTag === '[object Arguments]') return 'arguments';
    if (builtinTag === '[object Promise]') return 'promise';
    if (brand((v) => weakMapHas(v, ObjectPrototype), value)) return 'weakmap';
    if (brand((v) => weakSetHas(v, ObjectPrototype), value)) return 'weakset';
    if (brand(weakRefDeref, value)) return 'weakref';
    for (const [name, valueOf] of boxedTypes) if (brand(valueOf, value)) return name;
    return 'object';
  }

  function formatValue(ctx, value, recurseTimes, insideTypedArray) {
    if (value === null) return ctx.stylize('null', 'null');
    if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);

    if (ctx.customInspect) {
      const custom = value[customInspectSymbol];
      if (typeof custom === 'function' && custom !== inspect) {
        // Prototypes holding the method are shown as data, not through it.
        const ownCtor = getOwnPropertyDescriptor(value, 'constructor');
        if (!(ownCtor && typeof ownCtor.value === 'function' && ownCtor.value.prototype === value)) {
          const depth = ctx.depth - recurseTimes;
          const options = { ...ctx.userOptions, depth, stylize: ctx.stylize };
          const result = custom.call(value, depth, options, inspect);
          if (result !== value) {
            if (typeof result !== 'string') return formatValue(ctx, result, recurseTimes);
            return result.split('\n').join(`\n${' '.repeat(ctx.indentationLvl)}`);
          }
        }
      }
    }

    if (ctx.seen.includes(value)) {
      let index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
      return ctx.stylize(`[Circular *${index}]`, 'special');
    }
    return formatRaw(ctx, value, recurseTimes, insideTypedArray);
  }

  function formatRaw(ctx, value, recurseTimes, insideTypedArray) {
    const ctor = constructorName(ctx, value);
    const rawTag = value[Symbol.toStringTag];
    let tag = rawTag;
    // A tag that is listed as a key anyway is not repeated in the prefix.
    if (typeof tag !== 'string' ||
        (tag !== '' && (ctx.showHidden ? hasOwn : isEnumerable)(value, Symbol.toStringTag))) {
      tag = '';
    }
    const builtinTag = objectToString(value);
    const kind = kindOf(value, builtinTag, rawTag);

    let keys;
    let base = '';
    let open = '{';
    let close = '}';
    let formatter = () => [];
    let arrayLike = false; // elements are unnamed and may be grouped into columns

    switch (kind) {
      case 'array': {
        keys = ownKeys(value, ctx.showHidden, true);
        const prefix = ctor !== 'Array' || tag !== ''
          ? prefixOf(ctor, tag, 'Array', `(${value.length})`) : '';
        open = `${prefix}[`;
        close = ']';
        if (value.length === 0 && keys.length === 0) return `${open}]`;
        arrayLike = true;
        formatter = formatArray;
        break;
      }
      case 'set': {
        const size = setSize(value);
        keys = ownKeys(value, ctx.showHidden);
        const prefix = prefixOf(ctor, tag, 'Set', `(${size})`);
        if (size === 0 && keys.length === 0) return `${prefix}{}`;
        open = `${prefix}{`;
        formatter = formatSet;
        break;
      }
      case 'map': {
        const size = mapSize(value);
        keys = ownKeys(value, ctx.showHidden);
        const prefix = prefixOf(ctor, tag, 'Map', `(${size})`);
        if (size === 0 && keys.length === 0) return `${prefix}{}`;
        open = `${prefix}{`;
        formatter = formatMap;
        break;
      }
      case 'typedarray': {
        const length = typedArrayLength(value);
        keys = ownKeys(value, ctx.showHidden, true);
        const prefix = prefixOf(ctor, tag, typedArrayTag(value), `(${length})`);
        open = `${prefix}[`;
        close = ']';
        if (length === 0 && keys.length === 0 && !ctx.showHidden) return `${open}]`;
        arrayLike = true;
        formatter = formatTypedArray;
        break;
      }
      default: {
        keys = ownKeys(value, ctx.showHidden);
        switch (kind) {
          case 'object': {
            if (ctor === 'Object') {
              if (tag !== '') open = `${prefixOf(ctor, tag, 'Object')}{`;
              if (keys.length === 0) return `${open}}`;
              break;
            }
            const web = webInterfaces(value);
            if (web !== null) formatter = (c, v, r) => formatWebObject(c, v, r, web);
            else if (keys.length === 0) return `${prefixOf(ctor, tag, 'Object')}{}`;
            open = `${prefixOf(ctor, tag, 'Object')}{`;
            break;
          }
          case 'arguments':
            open = '[Arguments] {';
            if (keys.length === 0) return `${open}}`;
            break;
          case 'function':
            base = functionBase(value, ctor, tag);
            if (keys.length === 0) return ctx.stylize(base, 'special');
            break;
          case 'regexp': {
            base = regExpToString(value);
            const prefix = prefixOf(ctor, tag, 'RegExp');
            if (prefix !== 'RegExp ') base = `${prefix}${base}`;
            base = ctx.stylize(base, 'regexp');
            if (keys.length === 0) return base;
            break;
          }
          case 'date': {
            const time = dateGetTime(value);
            base = time === time ? dateToISOString(value) : 'Invalid Date';
            const prefix = prefixOf(ctor, tag, 'Date');
            if (prefix !== 'Date ') base = `${prefix}${base}`;
            base = ctx.stylize(base, 'date');
            if (keys.length === 0) return base;
            break;
          }
          case 'error':
            base = formatError(ctx, value, ctor, tag, keys);
            if (keys.length === 0) return base;
            break;
          case 'arraybuffer':
          case 'sharedarraybuffer': {
            const prefix = prefixOf(ctor, tag, kind === 'arraybuffer' ? 'ArrayBuffer' : 'SharedArrayBuffer');
            if (!insideTypedArray) {
              formatter = formatArrayBuffer;
            } else if (keys.length === 0) {
              const size = (kind === 'arraybuffer' ? arrayBufferByteLength : sharedArrayBufferByteLength)(value);
              return `${prefix}{ byteLength: ${formatNumber(ctx.stylize, size)} }`;
            }
            open = `${prefix}{`;
            keys.unshift('byteLength');
            break;
          }
          case 'dataview':
            open = `${prefixOf(ctor, tag, 'DataView')}{`;
            keys.unshift('byteLength', 'byteOffset', 'buffer');
            break;
          case 'promise':
            // The state of a promise cannot be read synchronously from JavaScript.
            open = `${prefixOf(ctor, tag, 'Promise')}{`;
            if (keys.length === 0) return `${open}}`;
            break;
          case 'weakmap':
          case 'weakset':
            open = `${prefixOf(ctor, tag, kind === 'weakmap' ? 'WeakMap' : 'WeakSet')}{`;
            formatter = () => [ctx.stylize('<items unknown>', 'special')];
            break;
          case 'weakref':
            open = `${prefixOf(ctor, tag, 'WeakRef')}{`;
            if (keys.length === 0) return `${open}}`;
            break;
          case 'Number': case 'String': case 'Boolean': case 'BigInt': case 'Symbol': {
            const valueOf = boxedTypes.find((t) => t[0] === kind)[1];
            const primitive = formatPrimitive({ ...ctx, stylize: stylizeNoColor, compact: true }, valueOf(value));
            if (kind === 'String') keys = keys.filter((k) => !isIndexKey(k) || +k >= value.length);
            base = `[${kind}${ctor !== kind ? (ctor === null ? ' (null prototype)' : ` (${ctor})`) : ''}: ${primitive}]`;
            if (tag !== '' && tag !== ctor) base += ` [${tag}]`;
            base = ctx.stylize(base, kind.toLowerCase());
            if (keys.length === 0) return base;
            break;
          }
          default:
            break;
        }
      }
    }

    if (recurseTimes > ctx.depth) {
      const name = prefixOf(ctor, tag, 'Object').slice(0, -1);
      return ctx.stylize(ctor === null ? name : `[${name}]`, 'special');
    }

    const indentationLvl = ctx.indentationLvl;
    recurseTimes++;
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    let output;
    try {
      output = formatter(ctx, value, recurseTimes);
      for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, false));
    } catch (err) {
      // Too deep to render: say so instead of failing the whole console call.
      // (A check that overflows again just hands the error to the next level up.)
      if (err instanceof RangeError && typeof err.message === 'string' &&
          err.message.startsWith('Maximum call stack size exceeded')) {
        ctx.seen.pop();
        ctx.indentationLvl = indentationLvl;
        const name = prefixOf(ctor, tag, 'Object').slice(0, -1);
        return ctx.stylize(`[${name}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`, 'special');
      }
      throw err;
    }
    if (output.length === 0 && base === '' && close === '}') { // a Web object with nothing to show
      ctx.seen.pop();
      return `${open}}`;
    }
    const refIndex = ctx.circular.get(value);
    if (refIndex !== undefined) {
      const ref = ctx.stylize(`<ref *${refIndex}>`, 'special');
      base = base === '' ? ref : `${ref} ${base}`;
    }
    ctx.seen.pop();

    if (ctx.sorted) {
      const compare = ctx.sorted === true ? undefined : ctx.sorted;
      if (!arrayLike) output.sort(compare);
      else if (keys.length > 1) {
        const named = output.slice(output.length - keys.length).sort(compare);
        output.splice(output.length - keys.length, keys.length, ...named);
      }
    }
    return joinEntries(ctx, output, base, open, close, arrayLike, recurseTimes, value);
  }

  // A Web platform object (URL, Response, Blob, Event, ...) keeps its state in internal slots,
  // so it is shown, as Node and Deno show one, through its interfaces' attributes: the getters
  // of each interface prototype on its chain, the most derived first, event handlers (on*) left
  // out, and a getter that throws skipped. A pair iterable (Headers, FormData, URLSearchParams)
  // lists its pairs instead: as properties while no name repeats, else (and always for
  // URLSearchParams, as Node does) as a Map's entries. webInterfaces(value) -> those prototypes, or
  // null for any other object. Without webidl.js installed no such object exists yet.
  function webInterfaces(value) {
    if (!hasOwn(internal, 'interfacePrototypes')) return null;
    const interfaces = internal.interfacePrototypes;
    let found = null;
    for (let p = getPrototypeOf(value); p !== null && p !== ObjectPrototype; p = getPrototypeOf(p)) {
      if (setHas(interfaces, p)) (found ??= []).push(p);
    }
    return found;
  }

  function formatWebObject(ctx, value, recurseTimes, protos) {
    const output = [];
    ctx.indentationLvl += 2;
    const entries = protos[0].entries;
    if (typeof entries === 'function' && protos[0][Symbol.iterator] === entries) {
      const pairs = [...callFunction(entries, value)];
      const names = new Set();
      for (const [k] of pairs) setAdd(names, k);
      const asMap = names.size !== pairs.length || protos[0][Symbol.toStringTag] === 'URLSearchParams';
      for (const [k, v] of pairs) {
        const name = asMap ? `${formatValue(ctx, k, recurseTimes, false)} =>`
          : `${propertyName(ctx.stylize, k, true)}:`;
        output.push(`${name} ${formatValue(ctx, v, recurseTimes, false)}`);
      }
    } else {
      const shown = new Set();
      for (const proto of protos) {
        for (const key of getOwnPropertyNames(proto)) {
          const d = getOwnPropertyDescriptor(proto, key);
          if (d.get === undefined || setHas(shown, key) || (key[0] === 'o' && key[1] === 'n')) continue;
          setAdd(shown, key);
          let v;
          try {
            v = callFunction(d.get, value);
          } catch {
            continue;
          }
          const text = formatValue(ctx, v, recurseTimes, false);
          output.push(`${propertyName(ctx.stylize, key, true)}: ${text}`);
        }
      }
    }
    ctx.indentationLvl -= 2;
    return output;
  }

  function functionBase(fn, ctor, tag) {
    let source = '';
    try {
      source = functionToString(fn);
    } catch {}
    if (source.startsWith('class') && source.endsWith('}') && /^class\b[^(]*\{/.test(source)) {
      const nameDesc = getOwnPropertyDescriptor(fn, 'name');
      const name = (nameDesc && typeof nameDesc.value === 'string' && nameDesc.value) || '(anonymous)';
      let text = `class ${name}`;
      if (ctor !== 'Function' && ctor !== null) text += ` [${ctor}]`;
      if (tag !== '' && ctor !== tag) text += ` [${tag}]`;
      if (ctor === null) {
        text += ' extends [null prototype]';
      } else {
        const parent = getPrototypeOf(fn);
        const parentName = parent && parent.name;
        if (parentName) text += ` extends ${parentName}`;
      }
      return `[${text}]`;
    }
    let type = 'Function';
    for (let p = getPrototypeOf(fn); p !== null; p = getPrototypeOf(p)) {
      const k = functionKinds.get(p);
      if (k !== undefined) {
        type = k;
        break;
      }
    }
    let text = `[${type}`;
    if (ctor === null) text += ' (null prototype)';
    const name = fn.name;
    text += name === '' || typeof name !== 'string' ? ' (anonymous)' : `: ${name}`;
    text += ']';
    if (ctor !== type && ctor !== null) text += ` ${ctor}`;
    if (tag !== '' && ctor !== tag) text += ` [${tag}]`;
    return text;
  }

  // JavaScriptCore's Error#stack holds only the frames ("fn@url:line:col"), V8's starts with
  // "Name: message" and prefixes frames with "    at ". JSC stacks are rewritten the V8 way
  // so errors read the same on both engines.
  const jscFramePattern = /^(?:[^@\n]*@.*|\[native code\]|\S+:\d+(?::\d+)?)$/;

  function framesToV8(frames) {
    return frames.map((line) => {
      const at = line.indexOf('@');
      if (at === -1) return `    at ${line}`;
      let name = line.slice(0, at);
      const location = line.slice(at + 1);
      if (name === 'global code' || name === 'module code') name = '';
      if (location === '') return `    at ${name || '<anonymous>'}`;
      return name === '' ? `    at ${location}` : `    at ${name} (${location})`;
    });
  }

  // console_error.js (how an Error is shown), installed by the first Error shown: it takes no
  // lazy_files.json entry, and an engine that never shows one never compiles it.
  let formatErrorOf = null;
  function formatError(ctx, err, ctor, tag, keys) {
    if (formatErrorOf === null) {
      native.installFile('console_error.js');
      formatErrorOf = internal.formatError;
    }
    return formatErrorOf(ctx, err, ctor, tag, keys);
  }

  // `element`: an array element, shown without its index.
  function formatProperty(ctx, obj, recurseTimes, key, element) {
    const desc = getOwnPropertyDescriptor(obj, key) || { value: obj[key], enumerable: true };
    const stylize = ctx.stylize;
    let str;
    if (desc.value !== undefined) {
      ctx.indentationLvl += 2;
      str = formatValue(ctx, desc.value, recurseTimes, false);
      ctx.indentationLvl -= 2;
    } else if (desc.get !== undefined) {
      const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
      const getters = ctx.getters;
      if (getters === true || (getters === 'get' && desc.set === undefined) ||
          (getters === 'set' && desc.set !== undefined)) {
        try {
          const v = desc.get.call(obj);
          ctx.indentationLvl += 2;
          if (v !== null && typeof v === 'object') {
            str = `${stylize(`[${label}]`, 'special')} ${formatValue(ctx, v, recurseTimes, false)}`;
          } else {
            str = `${stylize(`[${label}:`, 'special')} ${formatValue(ctx, v, recurseTimes, false)}${stylize(']', 'special')}`;
          }
          ctx.indentationLvl -= 2;
        } catch (err) {
          const msg = `<Inspection threw (${err && err.message})>`;
          str = `${stylize(`[${label}:`, 'special')} ${msg}${stylize(']', 'special')}`;
        }
      } else {
        str = stylize(`[${label}]`, 'special');
      }
    } else if (desc.set !== undefined) {
      str = stylize('[Setter]', 'special');
    } else {
      str = stylize('undefined', 'undefined');
    }
    if (element) return str;
    return `${propertyName(stylize, key, desc.enumerable)}: ${str}`;
  }

  // A property's key as it is written before its value.
  function propertyName(stylize, key, enumerable) {
    if (typeof key === 'symbol') return `[${stylize(symbolToString(key), 'symbol')}]`;
    if (key === '__proto__') return "['__proto__']";
    if (enumerable === false) return `[${quote(key).slice(1, -1)}]`;
    if (/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key)) return stylize(key, 'name');
    return stylize(quote(key), 'string');
  }

  const moreItems = (n) => `... ${n} more item${n > 1 ? 's' : ''}`;
  const emptyItems = (ctx, n) => ctx.stylize(`<${n} empty item${n > 1 ? 's' : ''}>`, 'undefined');

  function formatArray(ctx, arr, recurseTimes) {
    const length = arr.length;
    const max = MathMin(MathMax(0, ctx.maxArrayLength), length);
    const output = [];
    let i = 0;
    for (; i < length && output.length < max && hasOwn(arr, i); i++) {
      output.push(formatProperty(ctx, arr, recurseTimes, `${i}`, true));
    }
    if (i < length && output.length < max) {
      // Sparse: walk the present indices (ascending in keys()) and count the holes between.
      const present = objectKeys(arr);
      let k = i;
      while (output.length < max) {
        const next = k < present.length && isIndexKey(present[k]) ? +present[k] : length;
        if (next > i) {
          output.push(emptyItems(ctx, next - i));
          i = next;
          continue;
        }
        if (i >= length) break;
        output.push(formatProperty(ctx, arr, recurseTimes, present[k], true));
        k++;
        i++;
      }
    }
    if (length - i > 0) output.push(moreItems(length - i));
    return output;
  }

  function formatTypedArray(ctx, ta, recurseTimes) {
    const length = typedArrayLength(ta);
    const max = MathMin(MathMax(0, ctx.maxArrayLength), length);
    const output = [];
    for (let i = 0; i < max; i++) {
      const v = ta[i];
      output.push(typeof v === 'bigint' ? formatBigInt(ctx.stylize, v) : formatNumber(ctx.stylize, v));
    }
    if (length > max) output.push(moreItems(length - max));
    if (ctx.showHidden) {
      ctx.indentationLvl += 2;
      for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
        output.push(`[${key}]: ${formatValue(ctx, ta[key], recurseTimes, true)}`);
      }
      ctx.indentationLvl -= 2;
    }
    return output;
  }

  function formatArrayBuffer(ctx, buffer) {
    let bytes;
    try {
      bytes = new Uint8Array(buffer);
    } catch {
      return [ctx.stylize('(detached)', 'special')];
    }
    const shown = MathMin(MathMax(0, ctx.maxArrayLength), bytes.length);
    let hex = '';
    for (let i = 0; i < shown; i++) {
      hex += (i === 0 ? '' : ' ') + bytes[i].toString(16).padStart(2, '0');
    }
    const remaining = bytes.length - shown;
    if (remaining > 0) hex += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    return [`${ctx.stylize('[Uint8Contents]', 'special')}: <${hex}>`];
  }

  function formatSet(ctx, set, recurseTimes) {
    const size = setSize(set);
    const max = MathMin(MathMax(0, ctx.maxArrayLength), size);
    const output = [];
    const it = setValues(set);
    ctx.indentationLvl += 2;
    for (let step = iteratorNext(it); !step.done && output.length < max; step = iteratorNext(it)) {
      output.push(formatValue(ctx, step.value, recurseTimes, false));
    }
    ctx.indentationLvl -= 2;
    if (size > max) output.push(moreItems(size - max));
    return output;
  }

  function formatMap(ctx, map, recurseTimes) {
    const size = mapSize(map);
    const max = MathMin(MathMax(0, ctx.maxArrayLength), size);
    const output = [];
    const it = mapEntries(map);
    ctx.indentationLvl += 2;
    for (let step = iteratorNext(it); !step.done && output.length < max; step = iteratorNext(it)) {
      const [k, v] = step.value;
      output.push(`${formatValue(ctx, k, recurseTimes, false)} => ${formatValue(ctx, v, recurseTimes, false)}`);
    }
    ctx.indentationLvl -= 2;
    if (size > max) output.push(moreItems(size - max));
    return output;
  }

  // Lay out many short array entries as a table of columns (like Node): roughly square,
  // numbers right-aligned, everything else left-aligned.
  function groupArrayElements(ctx, output, value) {
    let count = output.length;
    if (ctx.maxArrayLength < output.length) count--; // keep "... more items" on its own line
    const gap = 2; // ", " between columns
    const widths = [];
    let total = 0;
    let widest = 0;
    for (let i = 0; i < count; i++) {
      const w = stringWidth(output[i]);
      widths.push(w);
      total += w + gap;
      if (w > widest) widest = w;
    }
    const cell = widest + gap;
    // Group only when three columns fit and no entry dwarfs the others.
    if (cell * 3 + ctx.indentationLvl >= ctx.breakLength || !(total / cell > 5 || widest <= 6)) {
      return output;
    }
    const bias = MathSqrt(cell - total / output.length);
    const biasedCell = MathMax(cell - 3 - bias, 1);
    const columns = MathMin(
      // A character is about 2.5 times as high as wide: aim for a square block.
      MathRound(MathSqrt(2.5 * biasedCell * count) / biasedCell),
      MathFloor((ctx.breakLength - ctx.indentationLvl) / cell),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;

    const columnWidths = [];
    for (let c = 0; c < columns; c++) {
      let w = 0;
      for (let j = c; j < output.length; j += columns) if (widths[j] > w) w = widths[j];
      columnWidths.push(w + gap);
    }
    let padStart = value !== undefined;
    if (padStart) {
      for (let i = 0; i < output.length; i++) {
        const t = typeof value[i];
        if (t !== 'number' && t !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    const rows = [];
    for (let i = 0; i < count; i += columns) {
      const end = MathMin(i + columns, count);
      let line = '';
      let j = i;
      for (; j < end - 1; j++) {
        const text = `${output[j]}, `;
        const pad = ' '.repeat(MathMax(0, columnWidths[j - i] - widths[j] - gap));
        line += padStart ? pad + text : text + pad;
      }
      line += padStart
        ? ' '.repeat(MathMax(0, columnWidths[j - i] - gap - widths[j])) + output[j]
        : output[j];
      rows.push(line);
    }
    if (ctx.maxArrayLength < output.length) rows.push(output[count]);
    return rows;
  }

  function fitsOnLine(ctx, output, start, base) {
    let total = output.length + start;
    if (total + output.length > ctx.breakLength) return false;
    for (const entry of output) {
      total += ctx.colors ? stripAnsi(entry).length : entry.length;
      if (total > ctx.breakLength) return false;
    }
    return base === '' || !base.includes('\n');
  }

  function joinEntries(ctx, output, base, open, close, arrayLike, recurseTimes, value) {
    const head = base ? `${base} ` : '';
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const count = output.length;
      if (arrayLike && count > 6) output = groupArrayElements(ctx, output, value);
      // Keep on one line what fits and nests at most `compact` levels deep below here.
      if (ctx.currentDepth - recurseTimes < ctx.compact && count === output.length) {
        const start = output.length + ctx.indentationLvl + open.length + base.length + 10;
        if (fitsOnLine(ctx, output, start, base)) {
          const joined = output.join(', ');
          if (!joined.includes('\n')) return `${head}${open} ${joined} ${close}`;
        }
      }
    }
    const indent = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${head}${open}${indent}  ${output.join(`,${indent}  `)}${indent}${close}`;
  }

  function makeContext(options) {
    const ctx = {
      ...defaultOptions,
      seen: [],
      circular: new Map(),
      indentationLvl: 0,
      currentDepth: 0,
      userOptions: undefined,
      stylize: stylizeNoColor,
    };
    if (options !== null && typeof options === 'object') {
      for (const key of objectKeys(defaultOptions)) {
        if (options[key] !== undefined) ctx[key] = options[key];
      }
      // null means "no limit", as in Node.
      if (ctx.depth === null) ctx.depth = Infinity;
      if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
      if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
      if (ctx.compact === true) ctx.compact = 3; // Node's legacy compact mode is not implemented
    }
    ctx.userOptions = {};
    for (const key of objectKeys(defaultOptions)) ctx.userOptions[key] = ctx[key];
    if (ctx.colors) ctx.stylize = stylizeWithColor;
    return ctx;
  }

  function inspectWith(value, options) {
    return formatValue(makeContext(options), value, 0, false);
  }

  // inspect(value, { depth = 2, colors = false, showHidden, maxArrayLength, maxStringLength,
  // breakLength, compact, sorted, getters, customInspect }) -> string
  function inspect(value, options) {
    return inspectWith(value, options);
  }
  Object.defineProperty(inspect, 'custom', { value: customInspectSymbol });

  internal.inspect = inspect;
  // For console.js's table() and trace(), and console_error.js.
  internal.inspectParts = {
    kindOf, stringWidth, framesToV8, jscFramePattern, prefixOf, errorToString, isArray,
  };
})
