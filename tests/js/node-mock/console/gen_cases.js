'use strict';
// Regenerates tests/js/console_cases.json.
//
// Each case is [args, expected, level, method]: evaluating `console.<method>(<args>)` (method
// defaults to "log") must produce print records whose texts, joined with "\n", equal
// `expected`, each at `level`. `expected` is null when nothing may be printed. Cases run in
// order in one engine and leave no console state (counters, timers, groups) behind, except
// the timer 'dup' (ending it would print a duration).
//
// Expected texts come from Node's own console (run in a vm context) unless a case gives one:
// those are the places where eddy deliberately differs or Node prints out of band
// (process.emitWarning). Run: node tests/js/node-mock/console/gen_cases.js [--check]
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { Console } = require('console');
const { Writable } = require('stream');

const OUT = path.join(__dirname, '../../console_cases.json');

const LEVELS = {
  log: 1, info: 1, debug: 0, warn: 2, error: 3, dir: 1, dirxml: 1, table: 1, trace: 3, assert: 3,
  count: 1, countReset: 2, time: 1, timeEnd: 1, timeLog: 1, group: 1, groupCollapsed: 1,
};

// [args, method?, {expected?, level?}?]
const E = (expected, level) => ({ expected, level });
const SRC = [
  // Top-level values: strings raw, everything else inspected.
  [''],
  ["'hello world'"],
  ["'a', 'b', 'c'"],
  ["1, 'x', true, null, undefined"],
  ['-0, 0, 1.5, NaN, -Infinity'],
  ['123n, -5n'],
  ["Symbol('s'), Symbol(), Symbol.iterator"],
  ["'multi\\nline', 'text'"],
  ["['a', \"it's\", 'say \"hi\"', 'both \\' \" `']"],
  ["['tab\\there', 'nl\\nx', 'back\\\\slash', '\\x00\\x1b\\x7f']"],
  ["['\\ud800 lone', '\\u{1F600} pair']"],
  ['[undefined, null, NaN, Infinity, -Infinity, -0, true]'],
  // Format specifiers.
  ["'%s is %d years', 'Bob', 42"],
  ["'%s|%s|%s|%s', -0, 5n, Symbol('q'), null"],
  ["'%s', undefined"],
  ["'%s', { a: { b: 1 } }"],
  ["'%s', [1, [2, [3]]]"],
  ["'%s', new (class A { toString() { return 'custom toString'; } })()"],
  ["'%s', new Date(0)"],
  ["'%s', function foo() { return 1; }"],
  ["'%d %d %d %d', '42', 1.5, '0x10', {}"],
  ["'%d %i', 10n, 7n"],
  ["'%i %i %i', 42.9, '-3.7', 'abc'"],
  ["'%f %f', '1.5abc', 2"],
  ["'%j', { a: [1, 'x'], b: null }"],
  ["'%j', (() => { const o = { a: 1 }; o.self = o; return o; })()"],
  ["'%j %j', undefined, 'str'"],
  ["'%o', [1, 2]"],
  ["'%o', { a: 1 }"],
  ["'%O', { a: { b: { c: { d: 1 } } } }"],
  ["'%cstyled%c text', 'color: red', 'font-weight: bold'"],
  ["'100%% sure %s', 'yes'"],
  ["'%%'"],
  ["'%s'"],
  ["'%s %s', 'only'"],
  ["'%x %s', 1"],
  ["'%s', 'a', 'extra', { x: 1 }, 2"],
  ["1, '%s', 2"],
  ["'%', 1"],
  // Plain objects and arrays.
  ['{}'],
  ["{ a: 1, 'b-c': 2, $d: 3, _e: 4, 5: 5, 'f g': 6 }"],
  ["{ s: \"it's\", t: 'tab\\there', u: undefined, n: null }"],
  ['{ a: { b: { c: { d: { e: 1 } } } } }'],
  ['{ arr: [[[[1]]]] }'],
  ['{ a: { b: { c: new Map([[1, 2]]) } }, d: { e: { f: new Set() } } }'],
  ['[]'],
  ['[1, 2, 3]'],
  ['[1, , 3]'],
  ['new Array(5)'],
  ['[, 1, , , 2, , ]'],
  ['Object.assign([1, 2], { extra: true })'],
  ['Array.from({ length: 120 }, (_, i) => i)'],
  ["Array.from({ length: 10 }, (_, i) => 'item' + i)"],
  ['Array.from({ length: 8 }, (_, i) => ({ id: i }))'],
  ["{ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'dddddddddd' }"],
  ["{ user: { name: 'Ada Lovelace', email: 'ada@example.com' }, roles: ['admin', 'editor', 'viewer'] }"],
  ["{ text: 'line one\\nline two\\nline three\\nline four\\nline five\\nline six\\nline seven\\n' }"],
  ["{ long: 'x'.repeat(100) }"],
  ["{ text: 'first line of the text\\nsecond line of the text\\nthird line of the text\\nfourth line of the text\\nlast' }"],
  ["[['a string long enough to need splitting across lines\\n', 'and another line here\\nend']]"],
  ["{ [Symbol('k')]: 1, [Symbol.iterator]: 2, regular: 3 }"],
  ['{ get a() { return 1; }, set a(v) {}, get b() { return 2; }, set c(v) {} }'],
  ['Object.defineProperty({ visible: 1 }, \'hidden\', { value: 2, enumerable: false })'],
  // Class instances, prototypes and tags.
  ['new (class Point { constructor() { this.x = 1; this.y = 2; } })()'],
  ['new (class Empty {})()'],
  ["new (class Foo { get [Symbol.toStringTag]() { return 'Bar'; } })()"],
  ['Object.assign(Object.create(null), { a: 1 })'],
  ['Object.create(null)'],
  ['(function () { return arguments; })(1, \'a\')'],
  ["{ [Symbol.for('nodejs.util.inspect.custom')]() { return 'CUSTOM'; } }"],
  ["{ nested: { [Symbol.for('nodejs.util.inspect.custom')](depth) { return { depth }; } } }"],
  // Circular structures.
  ["(() => { const o = { name: 'o' }; o.self = o; return o; })()"],
  ['(() => { const a = [1]; a.push(a); return a; })()'],
  ['(() => { const b = {}; const c = { b }; b.c = c; return [b, c]; })()'],
  // Keyed collections.
  ["new Map([['a', 1], ['b', 2]])"],
  ['new Map()'],
  ['new Map([[{ k: 1 }, [1, 2]], [NaN, new Set([1])]])'],
  ["new Set([1, 'two', [3]])"],
  ['new Set()'],
  ['new WeakMap()'],
  ['new WeakSet()'],
  // Dates, regular expressions, boxed primitives.
  ['new Date(0)'],
  ['new Date(NaN)'],
  ['{ when: new Date(Date.UTC(2020, 1, 29, 12, 30)) }'],
  ['/ab+c/gi'],
  ['Object.assign(/x/, { k: 1 })'],
  ["[new String('ab'), new Number(-0), new Boolean(false), Object(1n), Object(Symbol('s'))]"],
  ["Object.assign(new String('ab'), { extra: 1 })"],
  // Functions and classes.
  ['function foo() {}'],
  ['() => {}'],
  ['[function () {}, async function af() {}, function* gen() {}, async function* ag() {}]'],
  ['class Foo {}'],
  ['class Bar extends Array {}'],
  ['Object.assign(function f() {}, { a: 1 })'],
  ['{ method() {}, arrow: () => 1 }'],
  // Binary data.
  ['new Uint8Array([1, 2, 3])'],
  ['new Float64Array([0.5, -0])'],
  ['new BigInt64Array([1n, -2n])'],
  ['new Uint8Array(0)'],
  ['new Uint16Array(30)'],
  ['new Uint8Array([1, 2, 255]).buffer'],
  ['new ArrayBuffer(0)'],
  ['new DataView(new ArrayBuffer(4), 1, 2)'],
  // Errors (stacks set explicitly: real ones are engine-specific).
  ["(() => { const e = new Error('boom'); e.stack = undefined; return e; })()"],
  ["(() => { const e = new TypeError('bad type'); e.stack = ''; e.code = 'E_X'; return e; })()"],
  ["(() => { const e = new Error('with frames'); e.stack = 'Error: with frames\\n    at f (file.js:1:2)\\n    at g (file.js:3:4)'; return e; })()"],
  ["{ err: (() => { const e = new RangeError('nested'); e.stack = 'RangeError: nested\\n    at f (file.js:1:2)'; return e; })() }"],
  ["(() => { const e = new Error('outer', { cause: 'inner' }); e.stack = ''; return e; })()"],
  ["(() => { class MyError extends Error {} const e = new MyError('x'); e.stack = 'Error: x'; return e; })()"],
  ["(() => { class HttpError extends Error {} const e = new HttpError('x'); e.stack = 'Error: x'; return e; })()"],
  ["(() => { const e = new Error('x'); e.name = 'Custom'; e.stack = 'Custom: x'; return e; })()"],
  ["'%s', (() => { const e = new Error('x'); e.stack = 'Error: x'; return e; })()"],
  // Promises (their state cannot be read synchronously from JavaScript).
  ['Promise.resolve(1)', 'log', E('Promise {}')],
  ['Object.assign(new Promise(() => {}), { tag: 1 })', 'log', E('Promise { tag: 1 }')],
  // Levels.
  ["'info', 1", 'info'],
  ["'debug', { d: 1 }", 'debug'],
  ["'warn %s', 'x'", 'warn'],
  ["'error', new Map([[1, 2]])", 'error'],
  // dir / dirxml.
  ['{ a: { b: { c: { d: 1 } } } }', 'dir'],
  ['{ a: { b: 1 } }, { depth: 0 }', 'dir'],
  ["'str', { depth: 0 }", 'dir'],
  ["{ [Symbol.for('nodejs.util.inspect.custom')]() { return 'CUSTOM'; } }", 'dir'],
  ["'x', { y: 1 }", 'dirxml'],
  // assert.
  ["false, 'msg %s', 'x'", 'assert'],
  ['false', 'assert'],
  ["0, 'zero is falsy'", 'assert'],
  ["true, 'never printed'", 'assert', E(null)],
  ['null, { a: 1 }', 'assert', E('Assertion failed: { a: 1 }')],
  // count / countReset.
  ["(console.count('c1'), console.count('c1'), console.count(), console.countReset('c1'), console.countReset(), 'done')"],
  ["'nope'", 'countReset', E("Warning: Count for 'nope' does not exist", 2)],
  // time warnings (durations themselves are checked by the node-mock test).
  ["'missing'", 'timeEnd', E("Warning: No such label 'missing' for console.timeEnd()", 2)],
  ["'missing'", 'timeLog', E("Warning: No such label 'missing' for console.timeLog()", 2)],
  ["(console.time('dup'), 'dup')", 'time', E("Warning: Label 'dup' already exists for console.time()", 2)],
  // group.
  ["(console.group('G1'), console.log('a\\nb'), console.group(), console.log({ x: 1 }), console.groupEnd(), console.groupEnd(), 'out')"],
  ["(console.groupCollapsed('C', 1), console.info('in'), console.groupEnd(), console.groupEnd(), 'after')"],
  ["(console.group(), console.log([1, 2]), console.log({ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'dddddddd' }), console.groupEnd(), 'x')"],
  // table.
  ["[{ a: 1, b: 'x' }, { a: 2, c: true }]", 'table'],
  ["['apple', 'banana', 3]", 'table'],
  ["{ r1: { c1: 1, c2: 2 }, r2: { c1: 3 } }", 'table'],
  ["[{ a: 1, b: 2, c: 3 }, { a: 4, b: 5, c: 6 }], ['a', 'c']", 'table'],
  ["[1, { a: 'x' }, null]", 'table'],
  ["[{ nested: { deep: { x: 1 } }, list: [1, 2, 3, 4, 5], big: { a: 1, b: 2, c: 3 } }]", 'table'],
  ["new Map([['k1', { v: 1 }], ['k2', 'two']])", 'table'],
  ["new Set(['s1', 2])", 'table'],
  ['5', 'table'],
  ["'plain string'", 'table'],
  ['[]', 'table'],
  ["[{ '名前': '値' }]", 'table'],
  // Web platform objects through their attributes (Node's and Deno's shape; a vm context has no
  // such globals, so the texts are given, checked against Node 20's console by hand).
  ["new URL('https://example.com/a?b=c')", 'log', E("URL {\n  href: 'https://example.com/a?b=c',\n  origin: 'https://example.com',\n  protocol: 'https:',\n  username: '',\n  password: '',\n  host: 'example.com',\n  hostname: 'example.com',\n  port: '',\n  pathname: '/a',\n  search: '?b=c',\n  searchParams: URLSearchParams { 'b' => 'c' },\n  hash: ''\n}")],
  ["new Headers({ a: '1', 'content-type': 'x' })", 'log', E("Headers { a: '1', 'content-type': 'x' }")],
  ["new URLSearchParams('x=1&x=2'), new URLSearchParams()", 'log', E("URLSearchParams { 'x' => '1', 'x' => '2' } URLSearchParams {}")],
  ["new Blob(['abc'], { type: 'text/plain' })", 'log', E("Blob { size: 3, type: 'text/plain' }")],
  ['new TextDecoder()', 'log', E("TextDecoder { encoding: 'utf-8', fatal: false, ignoreBOM: false }")],
  ['[new Headers()]', 'log', E('[ Headers {} ]')],
];

// Node's console, inside a vm context so `console` in case sources is the one under test.
function runNode(code, method) {
  const writes = [];
  const sink = (level) => new Writable({
    write(chunk, enc, cb) { writes.push([level, String(chunk).replace(/\n$/, '')]); cb(); },
  });
  const stdout = sink(1);
  const stderr = sink(3);
  const c = new Console({ stdout, stderr, colorMode: false });
  const ctx = vm.createContext({ console: c });
  vm.runInContext(code, ctx);
  const level = LEVELS[method];
  return writes.length === 0 ? [null, level] : [writes.map((w) => w[1]).join('\n'), level];
}

function build() {
  return SRC.map(([args, method = 'log', override]) => {
    const code = `console.${method}(${args})`;
    if (override) {
      return [args, override.expected, override.level ?? LEVELS[method], method];
    }
    const [expected, level] = runNode(code, method);
    return [args, expected, level, method];
  });
}

if (require.main === module) {
  const cases = build().map((c) => (c[3] === 'log' ? c.slice(0, 3) : c));
  const doc = {
    description: 'console output cases: evaluate console.<method>(<args>) (method defaults to "log"); ' +
      'the print records it produces, joined with "\\n", must equal expected (null: no record), ' +
      'each at the given level (0 debug, 1 log, 2 warn, 3 error). Cases run in order in one ' +
      'engine and leave no console state behind except the running timer \'dup\'. Generated by tests/js/node-mock/console/gen_cases.js.',
    cases,
  };
  // One case per line keeps diffs readable.
  const text = `{\n  "description": ${JSON.stringify(doc.description)},\n  "cases": [\n` +
    cases.map((c) => `    ${JSON.stringify(c)}`).join(',\n') + '\n  ]\n}\n';
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(OUT) && fs.readFileSync(OUT, 'utf8') === text;
    console.log(same ? 'console_cases.json is up to date' : 'console_cases.json is STALE');
    process.exit(same ? 0 : 1);
  }
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), OUT)}`);
}

module.exports = { build, LEVELS };
