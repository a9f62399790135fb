// The `console` global, plus internal.format (util.format's look-alike) for the other embedded
// files. How a value is shown (util.inspect) is console_inspect.js, installed on the first value
// that is neither a string nor a primitive written as it is. The output aims to match Node's for
// everything standard JavaScript can observe; see tests/js/node-mock/console/ for the checked
// cases.
(function (native, internal) {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Builtins captured at load time, so that user code patching prototypes cannot break or
  // observe console output.
  const uncurry = Function.prototype.bind.bind(Function.prototype.call);

  const ObjectPrototype = Object.prototype;
  const { getPrototypeOf, getOwnPropertyDescriptor, keys: objectKeys, is: objectIs } = Object;
  const isArray = Array.isArray;
  const hasOwn = uncurry(ObjectPrototype.hasOwnProperty);
  const objectToString = uncurry(ObjectPrototype.toString);
  const symbolToString = uncurry(Symbol.prototype.toString);
  const ErrorConstructor = Error;
  const mapEntries = uncurry(Map.prototype.entries);
  const setValues = uncurry(Set.prototype.values);
  const iteratorNext = (it) => it.next();
  const jsonStringify = JSON.stringify;
  const MathMax = Math.max;
  const MathFloor = Math.floor;
  const numberParseInt = Number.parseInt;
  const numberParseFloat = Number.parseFloat;

  // ECMAScript's own constructors: an object whose toString comes from one of these is shown
  // by %s through inspect(); a toString from any other class (user code, or a Web class such
  // as URL) is trusted to give the more meaningful text.
  const builtinConstructors = new Set();
  for (const name of ['Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol',
    'BigInt', 'Date', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError',
    'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'Map', 'Set', 'WeakMap', 'WeakSet',
    'WeakRef', 'FinalizationRegistry', 'Promise', 'Proxy', 'ArrayBuffer', 'SharedArrayBuffer',
    'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
    'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
    'BigUint64Array']) {
    const d = getOwnPropertyDescriptor(globalThis, name);
    if (d && typeof d.value === 'function') builtinConstructors.add(d.value);
  }

  // ---------------------------------------------------------------------------------------
  // Primitives written as they are, without console_inspect.js

  const stylizeNoColor = (text) => text;
  const formatNumber = (stylize, n) => stylize(objectIs(n, -0) ? '-0' : `${n}`, 'number');
  const formatBigInt = (stylize, n) => stylize(`${n}n`, 'bigint');

  // internal.inspect(value, options), except that a primitive other than a string, shown with
  // the default options, is written here as inspect writes it: console.log(1) or
  // console.log('a', true) compiles no console_inspect.js.
  function inspect(value, options) {
    if (options === undefined) {
      switch (typeof value) {
        case 'number': return formatNumber(stylizeNoColor, value);
        case 'bigint': return formatBigInt(stylizeNoColor, value);
        case 'boolean': return `${value}`;
        case 'undefined': return 'undefined';
        case 'symbol': return symbolToString(value);
        case 'object': if (value === null) return 'null'; break;
        default: break;
      }
    }
    return internal.inspect(value, options);
  }

  // console_inspect.js's helpers for table() and trace(), installed now if need be (only
  // internal.inspect is in its lazy table: each name there costs every engine's creation).
  function inspector() {
    internal.require('console_inspect.js');
    return internal.inspectParts;
  }

  // ---------------------------------------------------------------------------------------
  // format (util.format)

  // Whether `%s` should show the object via inspect(): true unless a user-defined toString
  // would give a more meaningful text.
  function hasBuiltinToString(value) {
    let toString;
    try {
      toString = value.toString;
    } catch {
      return true;
    }
    if (typeof toString !== 'function') return true;
    if (hasOwn(value, 'toString')) return false;
    let holder = value;
    do {
      holder = getPrototypeOf(holder);
    } while (holder !== null && !hasOwn(holder, 'toString'));
    if (holder === null) return true;
    const d = getOwnPropertyDescriptor(holder, 'constructor');
    return d !== undefined && builtinConstructors.has(d.value);
  }

  function jsonOrCircular(value) {
    try {
      return jsonStringify(value);
    } catch (err) {
      // Only cycles are reported inline; other failures (e.g. BigInt) propagate.
      if (err instanceof TypeError && /circular|cyclic/i.test(err.message)) return '[Circular]';
      throw err;
    }
  }

  function formatWithOptions(options, args) {
    const first = args[0];
    let used = 0;
    let str = '';
    let sep = '';
    if (typeof first === 'string') {
      if (args.length === 1) return first;
      let last = 0;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) !== 37) continue; // '%'
        const spec = first[++i];
        if (used + 1 === args.length) {
          // Out of arguments: only %% still collapses.
          if (spec === '%') {
            str += first.slice(last, i);
            last = i + 1;
          }
          continue;
        }
        let text;
        switch (spec) {
          case 's': {
            const arg = args[++used];
            if (typeof arg === 'number') text = formatNumber(stylizeNoColor, arg);
            else if (typeof arg === 'bigint') text = formatBigInt(stylizeNoColor, arg);
            else if (typeof arg !== 'object' || arg === null || !hasBuiltinToString(arg)) text = String(arg);
            else text = inspect(arg, { ...options, depth: 0, colors: false, compact: 3 });
            break;
          }
          case 'j': text = `${jsonOrCircular(args[++used])}`; break;
          case 'd': {
            const arg = args[++used];
            if (typeof arg === 'bigint') text = formatBigInt(stylizeNoColor, arg);
            else if (typeof arg === 'symbol') text = 'NaN';
            else text = formatNumber(stylizeNoColor, Number(arg));
            break;
          }
          case 'i': {
            const arg = args[++used];
            if (typeof arg === 'bigint') text = formatBigInt(stylizeNoColor, arg);
            else if (typeof arg === 'symbol') text = 'NaN';
            else text = formatNumber(stylizeNoColor, numberParseInt(arg));
            break;
          }
          case 'f': {
            const arg = args[++used];
            text = typeof arg === 'symbol' ? 'NaN' : formatNumber(stylizeNoColor, numberParseFloat(arg));
            break;
          }
          case 'O': text = inspect(args[++used], options); break;
          case 'o':
            text = inspect(args[++used], { ...options, showHidden: true, depth: 4 });
            break;
          case 'c': used++; text = ''; break; // CSS is meaningless on a text sink
          case '%':
            str += first.slice(last, i);
            last = i + 1;
            continue;
          default:
            continue; // unknown specifier: left as written, argument not consumed
        }
        if (last !== i - 1) str += first.slice(last, i - 1);
        str += text;
        last = i + 1;
      }
      if (last !== 0) {
        used++;
        sep = ' ';
        if (last < first.length) str += first.slice(last);
      }
    }
    for (; used < args.length; used++) {
      const v = args[used];
      str += sep + (typeof v === 'string' ? v : inspect(v, options));
      sep = ' ';
    }
    return str;
  }

  function format(...args) {
    return formatWithOptions(undefined, args);
  }

  // ---------------------------------------------------------------------------------------
  // console

  const LEVEL_DEBUG = 0;
  const LEVEL_LOG = 1;
  const LEVEL_WARN = 2;
  const LEVEL_ERROR = 3;

  let groupIndent = '';
  const timers = new Map();
  const counters = new Map();

  function emit(level, text) {
    if (groupIndent !== '') text = groupIndent + text.split('\n').join(`\n${groupIndent}`);
    native.print(level, text);
  }

  function now() {
    const perf = globalThis.performance;
    return perf && typeof perf.now === 'function' ? perf.now() : Date.now();
  }

  const pad2 = (n) => `${n}`.padStart(2, '0');

  // "1.234ms", "1.500s", "1:02.345 (m:ss.mmm)", "1:02:03.456 (h:mm:ss.mmm)".
  function formatDuration(ms) {
    if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(3)}s`;
    const hours = MathFloor(ms / 3600000);
    const minutes = MathFloor((ms % 3600000) / 60000);
    const [secs, millis] = ((ms % 60000) / 1000).toFixed(3).split('.');
    if (hours !== 0) return `${hours}:${pad2(minutes)}:${pad2(secs)}.${millis} (h:mm:ss.mmm)`;
    return `${minutes}:${pad2(secs)}.${millis} (m:ss.mmm)`;
  }

  // console.trace's stack: the caller's frames only, in V8 layout.
  function callerFrames() {
    const stack = new ErrorConstructor().stack;
    if (typeof stack !== 'string') return '';
    const lines = stack.split('\n').filter((l) => !l.includes('eddy:console.js') &&
      !l.includes('__eddy_host__'));
    if (lines.length !== 0 && !/^\s+at /.test(lines[0]) && !inspector().jscFramePattern.test(lines[0])) {
      lines.shift(); // V8's "Error" header line
    }
    const frames = lines.every((l) => /^\s+at /.test(l)) ? lines : inspector().framesToV8(lines);
    return frames.length === 0 ? '' : `\n${frames.join('\n')}`;
  }

  function tableCell(v) {
    const depth = v !== null && typeof v === 'object' && !isArray(v) && objectKeys(v).length > 2 ? -1 : 0;
    return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
  }

  function renderTable(head, columns) {
    const { stringWidth } = inspector();
    const widths = head.map((h) => stringWidth(h));
    const rowCount = MathMax(...columns.map((c) => c.length));
    const rows = [];
    for (let c = 0; c < head.length; c++) {
      for (let r = 0; r < rowCount; r++) {
        if (rows[r] === undefined) rows[r] = [];
        const cell = hasOwn(columns[c], r) ? columns[c][r] : '';
        rows[r][c] = cell;
        widths[c] = MathMax(widths[c], stringWidth(cell));
      }
    }
    const line = (l, m, r) => l + widths.map((w) => '\u2500'.repeat(w + 2)).join(m) + r;
    // Cells are left-aligned, as in current Node.
    const row = (cells) => '\u2502 ' + cells.map((cell, i) => cell + ' '.repeat(widths[i] - stringWidth(cell)))
      .join(' \u2502 ') + ' \u2502';
    let out = `${line('\u250c', '\u252c', '\u2510')}\n${row(head)}\n${line('\u251c', '\u253c', '\u2524')}\n`;
    for (const r of rows) out += `${row(r)}\n`;
    return out + line('\u2514', '\u2534', '\u2518');
  }

  function table(data, properties) {
    if (properties !== undefined && !isArray(properties)) {
      throw new TypeError('The "properties" argument must be an instance of Array');
    }
    if (data === null || typeof data !== 'object') {
      emit(LEVEL_LOG, formatWithOptions(undefined, [data]));
      return;
    }
    const indexes = (n) => Array.from({ length: n }, (_, i) => tableCell(i));
    const kind = inspector().kindOf(data, objectToString(data), data[Symbol.toStringTag]);
    if (kind === 'map') {
      const keys = [];
      const values = [];
      const it = mapEntries(data);
      for (let step = iteratorNext(it); !step.done; step = iteratorNext(it)) {
        keys.push(tableCell(step.value[0]));
        values.push(tableCell(step.value[1]));
      }
      emit(LEVEL_LOG, renderTable(['(iteration index)', 'Key', 'Values'], [indexes(keys.length), keys, values]));
      return;
    }
    if (kind === 'set') {
      const values = [];
      const it = setValues(data);
      for (let step = iteratorNext(it); !step.done; step = iteratorNext(it)) values.push(tableCell(step.value));
      emit(LEVEL_LOG, renderTable(['(iteration index)', 'Values'], [indexes(values.length), values]));
      return;
    }
    const byColumn = new Map();
    const primitiveValues = [];
    let hasPrimitives = false;
    const rowKeys = objectKeys(data);
    for (let i = 0; i < rowKeys.length; i++) {
      const item = data[rowKeys[i]];
      const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
      if (properties === undefined && primitive) {
        hasPrimitives = true;
        primitiveValues[i] = tableCell(item);
        continue;
      }
      for (const key of properties || objectKeys(item)) {
        const name = `${key}`;
        if (!byColumn.has(name)) byColumn.set(name, []);
        byColumn.get(name)[i] = primitive || !hasOwn(item, key) ? '' : tableCell(item[key]);
      }
    }
    const head = ['(index)', ...byColumn.keys()];
    const columns = [rowKeys, ...byColumn.values()];
    if (hasPrimitives) {
      head.push('Values');
      columns.push(primitiveValues);
    }
    emit(LEVEL_LOG, renderTable(head, columns));
  }

  const print = (level, args) => emit(level, formatWithOptions(undefined, args));

  // Methods close over module state instead of using `this`, so they work detached
  // (`const { log } = console`).
  const consoleMethods = {
    log(...args) { print(LEVEL_LOG, args); },
    info(...args) { print(LEVEL_LOG, args); },
    debug(...args) { print(LEVEL_DEBUG, args); },
    warn(...args) { print(LEVEL_WARN, args); },
    error(...args) { print(LEVEL_ERROR, args); },
    dirxml(...args) { print(LEVEL_LOG, args); },
    dir(value, options) {
      emit(LEVEL_LOG, inspect(value, { customInspect: false, ...options }));
    },
    table(data, properties) { table(data, properties); },
    trace(...args) {
      const message = formatWithOptions(undefined, args);
      emit(LEVEL_ERROR, `Trace${message === '' ? '' : `: ${message}`}${callerFrames()}`);
    },
    assert(condition, ...args) {
      if (condition) return;
      // As the console spec: a leading string is the format, anything else is just data.
      if (args.length === 0) args = ['Assertion failed'];
      else if (typeof args[0] === 'string') args[0] = `Assertion failed: ${args[0]}`;
      else args.unshift('Assertion failed:');
      print(LEVEL_ERROR, args);
    },
    count(label = 'default') {
      label = `${label}`;
      const n = (counters.get(label) || 0) + 1;
      counters.set(label, n);
      emit(LEVEL_LOG, `${label}: ${n}`);
    },
    countReset(label = 'default') {
      label = `${label}`;
      if (!counters.has(label)) {
        emit(LEVEL_WARN, `Warning: Count for '${label}' does not exist`);
        return;
      }
      counters.delete(label);
    },
    group(...label) {
      if (label.length !== 0) print(LEVEL_LOG, label);
      groupIndent += '  ';
    },
    groupCollapsed(...label) {
      if (label.length !== 0) print(LEVEL_LOG, label);
      groupIndent += '  ';
    },
    groupEnd() {
      groupIndent = groupIndent.slice(0, -2);
    },
    time(label = 'default') {
      label = `${label}`;
      if (timers.has(label)) {
        emit(LEVEL_WARN, `Warning: Label '${label}' already exists for console.time()`);
        return;
      }
      timers.set(label, now());
    },
    timeEnd(label = 'default') {
      label = `${label}`;
      if (!timers.has(label)) {
        emit(LEVEL_WARN, `Warning: No such label '${label}' for console.timeEnd()`);
        return;
      }
      const elapsed = now() - timers.get(label);
      timers.delete(label);
      emit(LEVEL_LOG, `${label}: ${formatDuration(elapsed)}`);
    },
    timeLog(label = 'default', ...data) {
      label = `${label}`;
      if (!timers.has(label)) {
        emit(LEVEL_WARN, `Warning: No such label '${label}' for console.timeLog()`);
        return;
      }
      const elapsed = now() - timers.get(label);
      print(LEVEL_LOG, ['%s: %s', label, formatDuration(elapsed), ...data]);
    },
  };

  // A namespace object as Web IDL makes it: methods enumerable, its own @@toStringTag
  // ([object console]), and (for console alone) an empty object as its [[Prototype]].
  const console = Object.create(Object.create(ObjectPrototype), {
    [Symbol.toStringTag]: { value: 'console', writable: false, enumerable: false, configurable: true },
  });
  for (const name of objectKeys(consoleMethods)) {
    Object.defineProperty(console, name, {
      value: consoleMethods[name], writable: true, enumerable: true, configurable: true,
    });
  }

  internal.format = format;
  internal.formatWithOptions = (options, ...args) => formatWithOptions(options, args);
  internal.defineGlobal('console', console);
})
