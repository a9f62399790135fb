// ES modules, to ECMA-262 (Source Text Module Records, Link/Evaluate, namespace exotic objects,
// top-level await) and to Node-style host behaviour (file: URLs, node_modules, JSON modules).
//
// This file is itself a module: it has import declarations. Each test loads its own fixture
// graph from tests/js/modules/<topic>/ with import(), so that one broken feature fails its own
// tests and not the whole file; fixtures record what they saw on globalThis or in exports.
// What needs the command line (exit status, stderr, detection) is in tests/cli/test_modules.py.
import { a as staticA } from './modules/imports/lib.mjs';
import * as staticLib from './modules/imports/lib.mjs';

const fixtureUrl = (path) => new URL(`./modules/${path}`, import.meta.url).href;
const fixturePath = (path) => new URL(`./modules/${path}`, import.meta.url).pathname;
const thisFilePath = new URL(import.meta.url).pathname;

// The error an expression throws, or a failure if it throws nothing.
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error(`expected ${fn} to throw`);
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// "path:line" followed by ":column" or the end of the location, so that line 8 is not line 80.
const locationPattern = (path, line, column) =>
  new RegExp(`${escapeRegExp(path)}:${line}${column === undefined ? '(?!\\d)' : `:${column}(?!\\d)`}`);

function assertMentions(text, needle, msg) {
  assert(typeof text === 'string' && text.includes(needle),
    `${msg ? msg + ': ' : ''}expected ${JSON.stringify(text)} to contain ${JSON.stringify(needle)}`);
}

// ---------------------------------------------------------------------------------------------
// 1. Import forms

test('this test file is a module: static imports are bound before it runs', () => {
  assertEqual(staticA, 'A');
  assertEqual(staticLib.a, 'A');
  assertEqual(staticLib.default, 'the default');
});

test('import.meta.url of the main module is its file URL', () => {
  assert(import.meta.url.startsWith('file:///'), import.meta.url);
  assert(import.meta.url.endsWith('/tests/js/modules.test.js'), import.meta.url);
});

test('import.meta.filename and dirname are the path of a file module and its directory', async () => {
  assertEqual(import.meta.filename, thisFilePath);
  assertEqual(import.meta.dirname, thisFilePath.slice(0, thisFilePath.lastIndexOf('/')));
  assert(!import.meta.dirname.endsWith('/'), import.meta.dirname);
  const data = await import('data:text/javascript,export default [import.meta.filename, import.meta.dirname]');
  assertEqual(data.default[0], undefined, 'a data: module has no file name');
  assertEqual(data.default[1], undefined);
});

test('static and dynamic imports of a module share one instance', async () => {
  assert(await import('./modules/imports/lib.mjs') === staticLib);
});

test('import default', async () => {
  assertEqual((await import('./modules/imports/default.mjs')).seen, 'the default');
});

test('import named bindings', async () => {
  assertEqual((await import('./modules/imports/named.mjs')).seen, ['A', 'B', 'fn']);
});

test('import with `as` renames, including `default as`', async () => {
  assertEqual((await import('./modules/imports/rename.mjs')).seen, ['A', 'B', 'the default']);
});

test('import * as ns binds the namespace object', async () => {
  const { seen } = await import('./modules/imports/namespace.mjs');
  assert(seen === staticLib, 'the namespace of lib.mjs');
  assertEqual(seen.a, 'A');
  assertEqual(seen.fn(), 'fn');
});

test('side-effect-only import evaluates the module once', async () => {
  const { seen } = await import('./modules/imports/side-effect.mjs');
  assertEqual(seen, 1);
  assertEqual(globalThis.importsSideEffect, 1);
});

test('import default and named together', async () => {
  assertEqual((await import('./modules/imports/default-named.mjs')).seen, ['the default', 'A', 'B']);
});

test('import default and namespace together', async () => {
  const m = await import('./modules/imports/default-namespace.mjs');
  assertEqual(m.seen, ['the default', 'the default', 'A']);
  assert(m.lib === staticLib);
});

test('import string export names: import { "a-b" as x }', async () => {
  assertEqual((await import('./modules/imports/string-names.mjs')).seen,
    ['hyphen value', 'hyphen value', 'A']);
});

test('import declarations over several lines, with comments and no semicolons', async () => {
  assertEqual((await import('./modules/imports/multiline.mjs')).seen, ['A', 'B', 'the default']);
});

test('an imported module may start with a hashbang line or a byte order mark', async () => {
  assertEqual((await import('./modules/imports/hashbang.mjs')).x, 'hashbang in an import');
  assertEqual((await import('./modules/imports/bom.mjs')).x, 'bom in an import');
});

test('import declarations are hoisted: their bindings are usable above them', async () => {
  const m = await import('./modules/imports/hoisted.mjs');
  assertEqual(m.seen, ['A', 'function', 'the default']);
  assertEqual(m.later(), 'B');
});

test('import and export declarations without semicolons end as the grammar says', async () => {
  const m = await import('./modules/imports/asi.mjs');
  assertEqual(m.ran, ['iife after import first', 1, 2, 'template']);
  assertEqual(m.second, 'A');
});

// ---------------------------------------------------------------------------------------------
// 2. Export forms

test('export const, let, var, function, class, async function, generator', async () => {
  const m = await import('./modules/exports/decls.mjs');
  assertEqual(Object.keys(m), ['C', 'af', 'c', 'f', 'gen', 'l', 'v']);
  assertEqual([m.c, m.l, m.v, m.f(), new m.C().m(), m.gen().next().value],
    ['const', 'let', 'var', 'function', 'class', 'generator']);
  assertEqual(await m.af(), 'async function');
  assertEqual([m.f.name, m.C.name, m.af.name, m.gen.name], ['f', 'C', 'af', 'gen']);
});

test('export destructuring declarations export the bound names only', async () => {
  const m = await import('./modules/exports/destructuring.mjs');
  assertEqual(Object.keys(m), ['a', 'c', 'rest', 'x', 'y', 'zs']);
  assertEqual([m.a, m.c, m.rest, m.x, m.y, m.zs], [1, 2, { d: 3, e: 4 }, 10, 'default y', [12, 13]]);
});

test('export default <expression> exports the value at that point', async () => {
  const m = await import('./modules/exports/default-expr.mjs');
  assertEqual(m.default, 42);
  assertEqual(m.valueAfter, 0);
});

test('export default <identifier> is a snapshot, not a live binding', async () => {
  const m = await import('./modules/exports/default-snapshot.mjs');
  m.setY('second');
  assertEqual(m.default, 'first');
});

test('export default function with a name: name and local binding', async () => {
  const m = await import('./modules/exports/default-fn-named.mjs');
  assertEqual(m.default.name, 'named');
  assertEqual(m.default(), 'named default');
  assert(m.localBinding() === m.default, 'the local binding `named` is the default export');
});

test('anonymous export default function is named "default"', async () => {
  const m = await import('./modules/exports/default-fn-anon.mjs');
  assertEqual(m.default.name, 'default');
  assertEqual(m.default(), 'anonymous default');
});

test('anonymous export default async function and generator are named "default"', async () => {
  const asyncFn = (await import('./modules/exports/default-async-fn-anon.mjs')).default;
  const gen = (await import('./modules/exports/default-gen-anon.mjs')).default;
  assertEqual([asyncFn.name, gen.name], ['default', 'default']);
  assertEqual(await asyncFn(), 'anonymous async default');
  assertEqual(gen().next().value, 'anonymous generator default');
});

test('export default class with a name: name and local binding', async () => {
  const m = await import('./modules/exports/default-class-named.mjs');
  assertEqual(m.default.name, 'Named');
  assertEqual(new m.default().who(), 'named class');
  assert(m.localBinding() === m.default);
});

test('anonymous export default class is named "default"', async () => {
  const m = await import('./modules/exports/default-class-anon.mjs');
  assertEqual(m.default.name, 'default');
  assertEqual(new m.default().who(), 'anonymous class');
});

test('anonymous function, arrow and class expressions as export default are named "default"', async () => {
  const fn = (await import('./modules/exports/default-fn-expr.mjs')).default;
  const arrow = (await import('./modules/exports/default-arrow.mjs')).default;
  const cls = (await import('./modules/exports/default-class-expr.mjs')).default;
  assertEqual([fn.name, arrow.name, cls.name], ['default', 'default', 'default']);
  assertEqual([fn(), arrow()], ['parenthesised function expression', 'arrow']);
});

test('an anonymous async arrow as export default is named "default"', async () => {
  const fn = (await import('./modules/exports/default-async-arrow.mjs')).default;
  assertEqual(fn.name, 'default');
  assertEqual(await fn(), 'async arrow');
});

test('a named function expression as export default keeps its name', async () => {
  assertEqual((await import('./modules/exports/default-named-fn-expr.mjs')).default.name, 'own');
});

test('export default of an object literal', async () => {
  assertEqual((await import('./modules/exports/default-object.mjs')).default, { key: 'object literal' });
});

test('export default function is hoisted: a cycle partner calls it before the module body ran', async () => {
  globalThis.hoistLog = [];
  const m = await import('./modules/exports/hoist-a.mjs');
  assertEqual(m.results, ['greet from a', 'greet', 'anonymous from c', 'default']);
  assertEqual(globalThis.hoistLog, ['b body', 'c body', 'a body']);
});

test('export default function/class declarations are not callable by the next line', async () => {
  const fn = await import('./modules/exports/asi-default-fn.mjs');
  assertEqual(fn.ran, ['iife after default function']);
  assertEqual(fn.default(), 'declaration');
  const cls = await import('./modules/exports/asi-default-class.mjs');
  assertEqual(cls.ran, ['iife after default class']);
  assertEqual(typeof cls.default, 'function');
});

test('export { a as b, z, z as z2 }: renamed and repeated local exports', async () => {
  const m = await import('./modules/exports/rename.mjs');
  assertEqual(Object.keys(m), ['b', 'setZ', 'z', 'z2']);
  assertEqual([m.b, m.z, m.z2], ['a value', 'z value', 'z value']);
  m.setZ('changed');
  assertEqual([m.z, m.z2], ['changed', 'changed']);
});

test('export { x as default } is live', async () => {
  const m = await import('./modules/exports/as-default.mjs');
  assertEqual(m.default, 'initial');
  m.setX('updated');
  assertEqual(m.default, 'updated');
});

test('export string names: export { x as "a-b" }, from and * as', async () => {
  const m = await import('./modules/exports/string-names.mjs');
  assertEqual(Object.keys(m), ['a-b', 're-exported string', 'star namespace', '🙂']);
  assertEqual([m['a-b'], m['🙂'], m['re-exported string']], ['x value', 'x value', 'hyphen value']);
  assert(m['star namespace'] === staticLib);
});

test('export * from re-exports every name but default', async () => {
  const m = await import('./modules/exports/star.mjs');
  assertEqual(Object.keys(m), ['a', 'a-b', 'b', 'fn', 'with space']);
  assertEqual(m.a, 'A');
  assertEqual('default' in m, false);
});

test('export * as ns from exports the namespace object', async () => {
  const m = await import('./modules/exports/star-as.mjs');
  assertEqual(Object.keys(m), ['lib']);
  assert(m.lib === staticLib);
});

test('export { default } from', async () => {
  const m = await import('./modules/exports/reexport-default.mjs');
  assertEqual(Object.keys(m), ['default']);
  assertEqual(m.default, 'the default');
});

test('export { default as x, a as y } from', async () => {
  const m = await import('./modules/exports/reexport-default-as.mjs');
  assertEqual(Object.keys(m), ['renamedA', 'theDefault']);
  assertEqual([m.theDefault, m.renamedA], ['the default', 'A']);
});

test('re-exports of re-exports over three levels stay live', async () => {
  const m = await import('./modules/exports/level1.mjs');
  assertEqual(Object.keys(m), ['deep2', 'setDeep']);
  assertEqual(m.deep2, 'level 3');
  m.setDeep('changed at level 3');
  assertEqual(m.deep2, 'changed at level 3');
});

test('re-exporting an imported binding (import { a }; export { a }) is live', async () => {
  const m = await import('./modules/exports/reexport-imported.mjs');
  assertEqual(Object.keys(m), ['count', 'inc', 'renamedCount']);
  assertEqual([m.count, m.renamedCount], [0, 0]);
  m.inc();
  assertEqual([m.count, m.renamedCount], [1, 1]);
});

// ---------------------------------------------------------------------------------------------
// 3. Live bindings

test('an importer sees changes to an exported let through named imports and the namespace', async () => {
  const m = await import('./modules/live/reader.mjs');
  assertEqual(m.read(), [0, 0]);
  m.inc();
  m.inc();
  assertEqual(m.read(), [2, 2]);
  assertEqual(m.readLater(), undefined);
  m.setLater('set later');
  assertEqual(m.readLater(), 'set later');
});

test('writing to an imported binding throws TypeError, in every assignment form', async () => {
  const m = await import('./modules/live/assign.mjs');
  for (const [form, attempt] of Object.entries(m.attempts)) {
    assertThrows(attempt, TypeError, form);
  }
  assertEqual(m.read(), ['imported', 'string', 'function', 'object'], 'nothing was written');
});

test('typeof an imported binding', async () => {
  const m = await import('./modules/live/assign.mjs');
  assertEqual(m.read().slice(1), ['string', 'function', 'object']);
});

test('calling an imported function passes this = undefined; through the namespace, the namespace', async () => {
  const m = await import('./modules/live/call-this.mjs');
  assertEqual(m.plainCall(), undefined);
  assert(m.namespaceCall() === m.ns_, 'ns.f() has the namespace as this');
});

test('parameters, let, var, catch parameters and inner functions shadow an import', async () => {
  const m = await import('./modules/live/shadow.mjs');
  assertEqual(m.param('param'), 'param');
  assertEqual(m.defaultParam(), 'default param');
  assertEqual(m.destructuredParam({ value: 'destructured' }), 'destructured');
  assertEqual(m.arrowParam('arrow'), 'arrow');
  assertEqual(m.blockLet(), 'let');
  assertEqual(m.functionVar(), 'var');
  assertEqual(m.catchParam(), 'caught');
  assertEqual(m.innerFunction(), 'inner function');
  assertEqual(m.forOfLet(), ['loop 1', 'loop 2']);
  assertEqual(m.classMethodParam(), 'method param');
  assertEqual(m.innerBlockOnly(), 'imported', 'a block binding does not leak out');
  assertEqual(m.outer(), 'imported');
});

test('block functions, named function expressions, catch and destructuring shadow an import', async () => {
  const m = await import('./modules/live/shadow-more.mjs');
  assertEqual(m.blockFunctionInside, 'block function');
  assertEqual(m.afterBlock(), 'imported', 'a block function stays in its block in strict code');
  assertEqual(m.namedFnExpr, 'function');
  assertEqual(m.catchDestructure, 'destructured catch');
  assertEqual(m.destructuredLocal, 'destructured local');
  assertEqual(m.classLocal, 'function');
  assertEqual(m.unicodeEscapeParam, 'escaped param');
});

test('references to an import after regular expressions, divisions and escaped identifiers', async () => {
  const m = await import('./modules/live/regex-division.mjs');
  assertEqual(m.r, ['imported', 2, true, 'imported', 'regex after block', true, '}imported', 'imported', "'"]);
});

test('property keys, shorthand properties, methods and labels named like an import', async () => {
  const m = await import('./modules/live/not-references.mjs');
  assertEqual(m.shorthand(), { value: 'imported' });
  assertEqual(m.propertyKey(), 'key');
  assertEqual(m.computedString(), 'computed');
  assertEqual(m.method(), 'method');
  assertEqual(m.getter(), 'getter');
  assertEqual(m.classMember(), 'field');
  assertEqual(m.stringAndTemplate(), ['value', 'value=imported']);
  assertEqual(m.label(), 'label');
  assertEqual(m.memberOfImport(), 'imported'.length);
});

test('imported bindings in every expression position', async () => {
  const m = await import('./modules/live/expressions.mjs');
  assertEqual(m.results, {
    extends: 'derived from base',
    new: 'base',
    instanceof: true,
    tagged: 'no this:a|b:1',
    spread: [1, 2, 3, 4],
    optionalMember: undefined,
    optionalCall: 'fn default',
    computed: 'obj key',
    in: true,
    defaultParam: 'imported',
    destructuringDefault: 'imported',
    conditional: 3,
    comma: 'imported',
    templateNested: 'imported',
    arrowBody: 'imported',
    typeofMember: 'string',
    voidRef: undefined,
    regexAfter: 1,
  });
  assertEqual(m.regexNotDivision(), true);
});

// ---------------------------------------------------------------------------------------------
// 4. Module namespace exotic objects

const nsKeys = ['$', 'B', '_', 'a', 'aa', 'default', 'setA', 'uninitialisedVar',
  '\u00e9', '\u{1d4b3}', '\ufb01'];

test('namespace: null prototype, not extensible, sealed, not frozen', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  assertEqual(Object.getPrototypeOf(ns), null);
  assertEqual(Object.isExtensible(ns), false);
  assertEqual(Object.isSealed(ns), true);
  assertEqual(Object.isFrozen(ns), false);
  assertEqual(typeof ns, 'object');
  assertEqual(ns instanceof Object, false);
});

test('namespace: [[SetPrototypeOf]] accepts only null, [[PreventExtensions]] succeeds', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  assertEqual(Reflect.setPrototypeOf(ns, null), true);
  assertEqual(Reflect.setPrototypeOf(ns, {}), false);
  assertEqual(Reflect.setPrototypeOf(ns, Object.prototype), false);
  assertThrows(() => Object.setPrototypeOf(ns, {}), TypeError);
  assert(Object.setPrototypeOf(ns, null) === ns);
  assertEqual(Reflect.preventExtensions(ns), true);
  assert(Object.preventExtensions(ns) === ns);
  assert(Object.seal(ns) === ns, 'sealing changes nothing');
  assertThrows(() => Object.freeze(ns), TypeError, 'freezing would make bindings read-only');
});

test('namespace: keys in code unit order, Symbol.toStringTag last', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  assertEqual(nsKeys.slice().sort(), nsKeys, 'the expected list is itself in code unit order');
  assertEqual(Object.keys(ns), nsKeys);
  assertEqual(Object.getOwnPropertyNames(ns), nsKeys);
  const own = Reflect.ownKeys(ns);
  assertEqual(own.slice(0, -1), nsKeys);
  assert(own[own.length - 1] === Symbol.toStringTag, 'Symbol.toStringTag comes last');
  assertEqual(own.length, nsKeys.length + 1);
  assertEqual(Object.getOwnPropertySymbols(ns).length, 1);
  assertEqual(Object.entries(ns).map(([k]) => k), nsKeys);
  // for-in order is not specified for exotic objects; what it visits is.
  const forIn = [];
  for (const k in ns) forIn.push(k);
  assertEqual(forIn.sort(), nsKeys);
});

test('namespace: integer-like export names are sorted as strings, not as indices', async () => {
  const ns = await import('./modules/ns/numeric.mjs');
  assertEqual(Object.keys(ns), ['0', '10', '9', 'x']);
  assertEqual(Reflect.ownKeys(ns).slice(0, -1), ['0', '10', '9', 'x']);
  assertEqual([ns[0], ns[10], ns['9']], ['zero', 'ten', 'nine']);
});

test('namespace: Symbol.toStringTag is "Module", non-writable, non-enumerable', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  assertEqual(ns[Symbol.toStringTag], 'Module');
  assertEqual(Object.prototype.toString.call(ns), '[object Module]');
  assertEqual(Object.getOwnPropertyDescriptor(ns, Symbol.toStringTag),
    { value: 'Module', writable: false, enumerable: false, configurable: false });
});

test('namespace: property descriptors are writable data properties with the current value', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  ns.setA(1);
  const before = Object.getOwnPropertyDescriptor(ns, 'a');
  assertEqual(before, { value: 1, writable: true, enumerable: true, configurable: false });
  assert(!('get' in before) && !('set' in before), 'a data property, not an accessor');
  ns.setA(2);
  assertEqual(Object.getOwnPropertyDescriptor(ns, 'a'),
    { value: 2, writable: true, enumerable: true, configurable: false });
  assertEqual(ns.a, 2);
  assertEqual(Object.getOwnPropertyDescriptor(ns, 'uninitialisedVar'),
    { value: undefined, writable: true, enumerable: true, configurable: false });
  assertEqual(Object.getOwnPropertyDescriptor(ns, 'notExported'), undefined);
  assertEqual(Object.getOwnPropertyDescriptor(ns, Symbol.iterator), undefined);
  ns.setA(1);
});

test('namespace: assignment throws TypeError in strict code, Reflect.set returns false', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  assertThrows(() => { ns.a = 5; }, TypeError, 'existing export');
  assertThrows(() => { ns.a = ns.a; }, TypeError, 'same value');
  assertThrows(() => { ns.notExported = 1; }, TypeError, 'new property');
  assertThrows(() => { ns[Symbol.toStringTag] = 'x'; }, TypeError, 'Symbol.toStringTag');
  assertEqual(Reflect.set(ns, 'a', 5), false);
  assertEqual(Reflect.set(ns, 'notExported', 5), false);
  assertEqual(ns.a, 1, 'unchanged');
  assertEqual('notExported' in ns, false);
});

test('namespace: delete of an export throws TypeError, of a non-export succeeds', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  assertThrows(() => { delete ns.a; }, TypeError, 'delete ns.a');
  assertThrows(() => { delete ns.default; }, TypeError, 'delete ns.default');
  assertThrows(() => { delete ns[Symbol.toStringTag]; }, TypeError, 'delete ns[@@toStringTag]');
  assertEqual(delete ns.notExported, true);
  assertEqual(Reflect.deleteProperty(ns, 'a'), false);
  assertEqual(Reflect.deleteProperty(ns, 'notExported'), true);
  assertEqual(Reflect.deleteProperty(ns, Symbol.iterator), true);
  assertEqual(ns.a, 1);
});

test('namespace: [[DefineOwnProperty]] succeeds only when nothing would change', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  ns.setA(1);
  const cases = [
    ['a', {}, true],
    ['a', { value: 1 }, true],
    ['a', { value: 1, writable: true, enumerable: true, configurable: false }, true],
    ['a', { value: 2 }, false],
    ['a', { writable: false }, false],
    ['a', { enumerable: false }, false],
    ['a', { configurable: true }, false],
    ['a', { get() {} }, false],
    ['notExported', {}, false],
    ['notExported', { value: 1, writable: true, enumerable: true, configurable: false }, false],
    [Symbol.iterator, {}, false],
    [Symbol.toStringTag, {}, true],
    [Symbol.toStringTag, { value: 'Module', writable: false, enumerable: false, configurable: false }, true],
    [Symbol.toStringTag, { value: 'module' }, false],
  ];
  for (const [key, desc, expected] of cases) {
    const label = `defineProperty(ns, ${String(key)}, ${JSON.stringify(desc)})`;
    assertEqual(Reflect.defineProperty(ns, key, desc), expected, label);
    if (expected) assert(Object.defineProperty(ns, key, desc) === ns, label);
    else assertThrows(() => Object.defineProperty(ns, key, desc), TypeError, label);
  }
  assertEqual(ns.a, 1);
});

test('namespace: has, hasOwnProperty, no inherited properties', async () => {
  const ns = await import('./modules/ns/lib.mjs');
  assertEqual('a' in ns, true);
  assertEqual('default' in ns, true);
  assertEqual('notExported' in ns, false);
  assertEqual(Symbol.toStringTag in ns, true);
  assertEqual('toString' in ns, false);
  assertEqual('__proto__' in ns, false);
  assertEqual(Object.prototype.hasOwnProperty.call(ns, 'a'), true);
  assertEqual(Object.hasOwn(ns, 'other'), false, 'local names are not exports');
  assertEqual(Object.prototype.propertyIsEnumerable.call(ns, 'a'), true);
  assertEqual(ns.toString, undefined);
  assertEqual(ns[0], undefined);
});

test('namespace: one object per module, from every importer and from import()', async () => {
  const one = await import('./modules/ns/importer-one.mjs');
  const two = await import('./modules/ns/importer-two.mjs');
  const direct = await import('./modules/ns/lib.mjs');
  assert(one.lib === direct, 'importer-one');
  assert(two.lib === direct, 'importer-two');
  assert(two.reexported === direct, 'export * as');
  assert(await import(fixtureUrl('ns/lib.mjs')) === direct, 'by absolute URL');
});

test('namespace: export * as self from itself, and import * of itself', async () => {
  const ns = await import('./modules/ns/self.mjs');
  assert(ns.self === ns, 'export * as self');
  assert(ns.viaImport() === ns, 'import * as me');
  assertEqual(Object.keys(ns), ['self', 'viaImport', 'x']);
});

test('export *: a name provided by two different modules is ambiguous and left out', async () => {
  const ns = await import('./modules/ns/star-both.mjs');
  assertEqual(Object.keys(ns), ['onlyA', 'onlyB']);
  assertEqual('dup' in ns, false);
  assertEqual(ns.dup, undefined);
});

test('export *: the same binding reached twice is not ambiguous', async () => {
  const ns = await import('./modules/ns/star-same-binding.mjs');
  assertEqual(Object.keys(ns), ['dup', 'onlyA']);
  assertEqual(ns.dup, 'from a');
});

test('export *: a local or indirect export shadows star exports of the same name', async () => {
  const local = await import('./modules/ns/star-local-wins.mjs');
  assertEqual(Object.keys(local), ['dup', 'onlyA', 'onlyB']);
  assertEqual(local.dup, 'local');
  const indirect = await import('./modules/ns/star-indirect-wins.mjs');
  assertEqual(indirect.dup, 'only b');
});

test('export *: two modules star-exporting each other both have every name', async () => {
  const a = await import('./modules/ns/star-cycle/a.mjs');
  const b = await import('./modules/ns/star-cycle/b.mjs');
  assertEqual(Object.keys(a), ['fromA', 'fromB']);
  assertEqual(Object.keys(b), ['fromA', 'fromB']);
  assertEqual([a.fromB, b.fromA], ['b', 'a']);
});

test('import of an ambiguous star export is a SyntaxError at link time, before any code runs', async () => {
  globalThis.ambiguousLog = [];
  const e = await assertRejects(import('./modules/ns/ambiguous/main.mjs'), SyntaxError);
  assertMentions(e.message, 'dup');
  assertEqual(globalThis.ambiguousLog, [], 'no module of the graph was evaluated');
});

test('export * does not re-export default: importing it is a SyntaxError at link time', async () => {
  globalThis.noDefaultLog = [];
  const e = await assertRejects(import('./modules/ns/nodefault/main.mjs'), SyntaxError);
  assertMentions(e.message, 'default');
  assertEqual(globalThis.noDefaultLog, [], 'no module of the graph was evaluated');
});

test('a graph that failed to link can be imported again and fails the same way', async () => {
  globalThis.ambiguousLog = [];
  await assertRejects(import('./modules/ns/ambiguous/main.mjs'), SyntaxError);
  await assertRejects(import('./modules/ns/ambiguous/main.mjs'), SyntaxError);
  assertEqual(globalThis.ambiguousLog, []);
  // Its modules that do link are usable on their own afterwards.
  const a = await import('./modules/ns/ambiguous/a.mjs');
  assertEqual(a.dup, 'a');
  assertEqual(globalThis.ambiguousLog, ['a']);
});

// ---------------------------------------------------------------------------------------------
// 5. Cycles and evaluation order

test('cycle: hoisted function exports are callable before the other module ran', async () => {
  const m = await import('./modules/cycles/fn-a.mjs');
  assertEqual(m.bSawA, 'A');
  assertEqual(m.aSawB, 'B');
});

test('cycle: let/const/class exports are in their TDZ for the partner; var and functions are not', async () => {
  const m = await import('./modules/cycles/tdz-a.mjs');
  assertEqual(m.probe, {
    let: 'ReferenceError',
    const: 'ReferenceError',
    class: 'ReferenceError',
    'default class': 'ReferenceError',
    var: 'undefined',
    function: 'value function',
    'typeof let': 'ReferenceError',
    'ns.l': 'ReferenceError',
    'ns.v': 'undefined',
    'Object.keys(ns)': 'ReferenceError',
    'hasOwnProperty(ns, l)': 'ReferenceError',
    'getOwnPropertyDescriptor(ns, l)': 'ReferenceError',
    'Reflect.ownKeys(ns)': 'value K,c,default,f,l,probe,probeLater,v,Symbol(Symbol.toStringTag)',
    "'l' in ns": 'value true',
  });
  assertEqual(m.probeLater(), ['let', 'const', 'function', 'var', 'function', 'let'],
    'initialised once the module ran');
});

test('evaluation order: a diamond runs the shared dependency first and once', async () => {
  globalThis.diamondOrder = [];
  await import('./modules/order/diamond/main.mjs');
  assertEqual(globalThis.diamondOrder, ['bottom', 'left', 'right', 'main']);
});

test('evaluation order: depth first in source order of the module requests', async () => {
  globalThis.wideOrder = [];
  await import('./modules/order/wide/main.mjs');
  assertEqual(globalThis.wideOrder, ['z', 'w', 'y', 'x', 'main x w']);
});

test('evaluation order: in a cycle the module reached last runs first', async () => {
  globalThis.cycleOrder = [];
  await import('./modules/cycles/order-cycle/main.mjs');
  assertEqual(globalThis.cycleOrder, ['c', 'b', 'a', 'main']);
});

test('evaluation order: a module whose dependency is still evaluating (same cycle) runs', async () => {
  globalThis.sccOrder = [];
  await import('./modules/cycles/order-scc/a.mjs');
  assertEqual(globalThis.sccOrder, ['b', 'c', 'a']);
});

test('cycle: when the cycle root throws, every module of the cycle is errored with that error', async () => {
  globalThis.erroredSccLog = [];
  const e = await assertRejects(import('./modules/cycles/errored-scc/a.mjs'), Error);
  assertEqual(e.message, 'root of the cycle threw');
  const fromB = await assertRejects(import('./modules/cycles/errored-scc/b.mjs'));
  assert(fromB === e, 'b completed its body but shares the cycle\'s error');
  assertEqual(globalThis.erroredSccLog, ['b', 'a']);
});

test('cycle with top-level await: the cycle waits, a module outside it runs meanwhile', async () => {
  globalThis.tlaCycleLog = [];
  await import('./modules/cycles/tla-cycle/main.mjs');
  assertEqual(globalThis.tlaCycleLog, ['b before await', 'c', 'b after await', 'a saw b', 'main']);
});

test('a module imported from many places and by many specifiers is evaluated once', async () => {
  const before = globalThis.onceCount || 0;
  assertEqual(before, 0, 'not loaded before this test');
  const x = await import('./modules/once/x.mjs');
  const y = await import('./modules/once/y.mjs');
  const specifiers = ['./modules/once/counted.mjs', './modules/../modules/once/./counted.mjs',
    fixtureUrl('once/counted.mjs'), fixturePath('once/counted.mjs')];
  const loaded = await Promise.all(specifiers.map((s) => import(s)));
  const fromY = await y.viaImport();
  assertEqual(globalThis.onceCount, 1);
  for (const ns of [y.counted, fromY, ...loaded]) assert(ns === x.counted, 'one namespace');
  assert(x.counted.token === loaded[0].token);
});

// ---------------------------------------------------------------------------------------------
// 6. Top-level await

test('TLA: a module runs up to its await, then its sync sibling, then the rest, then the importer', async () => {
  globalThis.tlaOrder = [];
  await import('./modules/tla/order/main.mjs');
  assertEqual(globalThis.tlaOrder, ['a before await', 'b', 'a after await', 'main']);
});

test('TLA: a sibling that depends on an awaiting module waits for it; one that does not runs', async () => {
  globalThis.siblingOrder = [];
  await import('./modules/tla/sibling/main.mjs');
  assertEqual(globalThis.siblingOrder,
    ['a before await', 'b', 'a after await', 'c saw a finished', 'main']);
});

test('TLA: a rejection reaches every importer with the same error, and is kept', async () => {
  globalThis.rejectLog = [];
  const [one, two] = await Promise.allSettled([
    import('./modules/tla/reject/importer-one.mjs'),
    import('./modules/tla/reject/importer-two.mjs'),
  ]);
  assertEqual([one.status, two.status], ['rejected', 'rejected']);
  assert(one.reason instanceof Error);
  assertEqual(one.reason.message, 'top-level await failed');
  assert(two.reason === one.reason, 'the same error object for both importers');
  // Later imports of the failed module, of an importer, or of a new importer: the same error.
  assert(await assertRejects(import('./modules/tla/reject/fail.mjs')) === one.reason, 'fail.mjs');
  assert(await assertRejects(import('./modules/tla/reject/importer-one.mjs')) === one.reason, 'again');
  assert(await assertRejects(import('./modules/tla/reject/importer-late.mjs')) === one.reason, 'late');
  assertEqual(globalThis.rejectLog, ['fail before await', 'fail after await'],
    'fail.mjs ran once, no importer body ran');
});

test('an error thrown while evaluating is cached: the module never runs again', async () => {
  const first = await assertRejects(import('./modules/tla/throwsync/importer.mjs'), RangeError);
  const second = await assertRejects(import('./modules/tla/throwsync/thrower.mjs'), RangeError);
  const third = await assertRejects(import('./modules/tla/throwsync/importer.mjs'), RangeError);
  assert(first === second && second === third, 'the same error object each time');
  assertEqual(globalThis.throwSyncCount, 1);
  assertEqual(globalThis.throwSyncImporterRan, undefined);
});

test('TLA inside loops, try/catch/finally, blocks, switch, labels and expressions', async () => {
  const m = await import('./modules/tla/constructs/main.mjs');
  assertEqual(m.steps, ['for 0', 'for 1', 'while 0', 'while 1', 'catch rejected', 'finally',
    'block', 'if', 'switch', 'label', 'template array object', 'async arrow', 'thenable',
    'dynamic import', 'gen 1', 'gen 2', 'sync iterable 1', 'sync iterable 2']);
  assertEqual(m.awaitedExport, 'awaited export');
});

test('TLA: top-level for await closes its iterator on break and throw; export default await', async () => {
  const m = await import('./modules/tla/for-await-close.mjs');
  assertEqual(m.log, [0, 2, 'return', 'return', 'thrown at 0']);
  assertEqual(m.sum, 6);
  assertEqual(m.default, 'awaited default');
});

test('await in nested async functions and generators of a module is theirs, not top-level', async () => {
  const m = await import('./modules/tla/nested-async.mjs');
  assertEqual(m.results, ['nested await for', 'arrow await', 'generator yield', 'method await']);
  assert(m.pending instanceof Promise);
  assertEqual(await m.pending, 'nested await for');
});

test('TLA: import() of an awaiting module resolves only after it finished', async () => {
  const p = import('./modules/tla/slow/slow.mjs');
  const importer = import('./modules/tla/slow/importer.mjs');
  const ns = await p;
  assertEqual(ns.state, 'finished');
  assertEqual(globalThis.slowState, 'finished');
  assertEqual((await importer).stateSeenByImporter, 'finished');
  assert(await import('./modules/tla/slow/slow.mjs') === ns);
});

// The main module's own top-level await: the harness runs the tests only after it finished.
globalThis.mainModuleFinished = false;
test('the tests run after this module\'s own top-level await finished', () => {
  assertEqual(globalThis.mainModuleFinished, true);
});

// ---------------------------------------------------------------------------------------------
// 7. Dynamic import()

test('import() returns a promise for the namespace, the same object every time', async () => {
  const p = import('./modules/dyn/target.mjs');
  assert(p instanceof Promise, 'a promise');
  const ns = await p;
  assertEqual(ns.where, 'dyn/target.mjs');
  assert(await import('./modules/dyn/target.mjs') === ns);
  assert(await import(fixtureUrl('dyn/target.mjs')) === ns);
});

test('import() resolves against the module that contains the call', async () => {
  const loader = await import('./modules/dyn/sub/loader.mjs');
  assertEqual((await loader.load('./target.mjs')).where, 'dyn/sub/target.mjs');
  assertEqual((await loader.loadTarget()).where, 'dyn/sub/target.mjs');
  assertEqual((await loader.loadParentTarget()).where, 'dyn/target.mjs');
});

test('import() of a missing module rejects naming the specifier and the importer', async () => {
  const e = await assertRejects(import('./nope.js'));
  assertMentions(e.message, `Cannot find module './nope.js' imported from ${thisFilePath}`);
  const fromFixture = await assertRejects((await import('./modules/dyn/missing-importer.mjs')).load());
  assertMentions(fromFixture.message,
    `Cannot find module './nope.js' imported from ${fixturePath('dyn/missing-importer.mjs')}`);
});

test('import() of a module with a syntax error rejects with SyntaxError naming file and line', async () => {
  const e = await assertRejects(import('./modules/dyn/bad-syntax.mjs'), SyntaxError);
  const where = `${e.message}\n${e.stack}`;
  assert(locationPattern(fixturePath('dyn/bad-syntax.mjs'), 3).test(where), `bad-syntax.mjs:3 in:\n${where}`);
  await assertRejects(import('./modules/dyn/bad-syntax.mjs'), SyntaxError, 'again');
});

test('import() guesses no file extension', async () => {
  const e = await assertRejects(import('./modules/dyn/target'));
  assertMentions(e.message, `Cannot find module './modules/dyn/target' imported from ${thisFilePath}`);
});

test('import() converts its specifier with ToString; a throwing ToString rejects', async () => {
  const ns = await import({ toString: () => './modules/dyn/target.mjs' });
  assertEqual(ns.where, 'dyn/target.mjs');
  let p;
  try {
    p = import({ toString() { throw new RangeError('no string'); } });
  } catch (e) {
    throw new Error(`import() threw synchronously: ${e}`);
  }
  assert(p instanceof Promise);
  await assertRejects(p, RangeError);
});

test('import() options: invalid options or attributes reject with TypeError', async () => {
  await assertRejects(import('./modules/dyn/target.mjs', 1), TypeError, 'options not an object');
  await assertRejects(import('./modules/dyn/target.mjs', { with: 1 }), TypeError, 'with not an object');
  await assertRejects(import('./modules/dyn/target.mjs', { with: { type: 1 } }), TypeError,
    'attribute value not a string');
  const ns = await import('./modules/dyn/target.mjs', undefined);
  assertEqual(ns.where, 'dyn/target.mjs');
  assert(await import('./modules/dyn/target.mjs', {}) === ns, 'empty options');
  assert(await import('./modules/dyn/target.mjs', { with: undefined }) === ns, 'with: undefined');
});

test('import() with { with: { type: "json" } } loads a JSON module', async () => {
  const ns = await import('./modules/json/data.json', { with: { type: 'json' } });
  assertEqual(ns.default.name, 'data');
  const fromFixture = await (await import('./modules/dyn/json-user.mjs')).load();
  assert(fromFixture === ns, 'one JSON module instance');
});

// ---------------------------------------------------------------------------------------------
// JSON modules

test('JSON module: the default export is the parsed JSON, and the only export', async () => {
  const m = await import('./modules/json/importer.mjs');
  assertEqual(m.data, { name: 'data', list: [1, 2, { nested: true }], unicode: 'é' });
  assert(m.again === m.data, 'one instance');
  assertEqual(Reflect.ownKeys(m.ns).map(String), ['default', 'Symbol(Symbol.toStringTag)']);
  assert(m.ns.default === m.data);
  assertEqual(m.list, [1, 'two', null]);
  assert(Object.getPrototypeOf(m.data) === Object.prototype, 'an ordinary object');
});

test('JSON module: any JSON value, and invalid JSON is a SyntaxError naming the file', async () => {
  const str = await import('./modules/json/string.json', { with: { type: 'json' } });
  assertEqual(str.default, 'just a string');
  const e = await assertRejects(import('./modules/json/bad.json', { with: { type: 'json' } }), SyntaxError);
  assertMentions(`${e.message}\n${e.stack}`, fixturePath('json/bad.json'));
});

test('JSON module without the type attribute fails with TypeError before any code runs', async () => {
  globalThis.jsonNoAttrLog = [];
  await assertRejects(import('./modules/json/noattr/main.mjs'), TypeError);
  await assertRejects(import('./modules/json/data.json'), TypeError);
  assertEqual(globalThis.jsonNoAttrLog, []);
});

test('an unknown import attribute type fails with TypeError before any code runs', async () => {
  globalThis.jsonBadTypeLog = [];
  await assertRejects(import('./modules/json/badtype/main.mjs'), TypeError);
  assertEqual(globalThis.jsonBadTypeLog, []);
  await assertRejects(import('./modules/json/data.json', { with: { type: 'text-unknown' } }), TypeError);
});

// ---------------------------------------------------------------------------------------------
// 8. import.meta

test('import.meta.url is the exact file URL of the module', async () => {
  const m = await import('./modules/meta/a.mjs');
  assertEqual(m.url, fixtureUrl('meta/a.mjs'));
  assert(m.url.startsWith('file:///') && m.url.endsWith('/tests/js/modules/meta/a.mjs'), m.url);
});

test('import.meta.url percent-encodes spaces and non-ASCII as the URL Standard does', async () => {
  const spaced = await import('./modules/meta/with space/m.mjs');
  assert(spaced.url.endsWith('/tests/js/modules/meta/with%20space/m.mjs'), spaced.url);
  assert(await import('./modules/meta/with%20space/m.mjs') === spaced, 'the encoded specifier is the same module');
  const unicode = await import('./modules/meta/\u00fcn\u00efcode.mjs');
  // "Two ASCII upper hex digits" (URL Standard, percent-encode a byte), as Node's pathToFileURL.
  assert(unicode.url.endsWith('/tests/js/modules/meta/%C3%BCn%C3%AFcode.mjs'), unicode.url);
});

test('import.meta.resolve returns the resolved URL string', async () => {
  const m = await import('./modules/meta/a.mjs');
  assertEqual(m.resolved, fixtureUrl('meta/x.js'));
  assertEqual(m.resolvedParent, fixtureUrl('other/y.mjs'));
  assertEqual(typeof m.resolved, 'string');
  assertEqual(import.meta.resolve('./modules/meta/a.mjs'), fixtureUrl('meta/a.mjs'));
});

test('import.meta is an object with a null prototype, the same each access, one per module', async () => {
  const a = await import('./modules/meta/a.mjs');
  const b = await import('./modules/meta/b.mjs');
  assertEqual(typeof a.meta, 'object');
  assertEqual(Object.getPrototypeOf(a.meta), null);
  assertEqual(a.sameTwice, true);
  assert(a.getMeta() === a.meta, 'the same object later');
  assert(a.meta !== b.meta, 'another module has its own');
  assert(import.meta !== a.meta, 'and so has the main module');
});

// ---------------------------------------------------------------------------------------------
// 9. Module scope

test('module code is strict: this is undefined, undeclared assignment throws', async () => {
  const m = await import('./modules/scope/strict.mjs');
  assertEqual(m.topLevelThis, undefined);
  assertEqual(m.functionThis, undefined);
  assertEqual(m.arrowThis, undefined);
  assertThrows(m.assignUndeclared, ReferenceError);
  assertEqual('undeclaredInModuleScope' in globalThis, false);
  assertThrows(m.writeReadOnly, TypeError);
  assertThrows(m.deleteNonConfigurable, TypeError);
  assertEqual(this, undefined, 'in this module too');
});

test('module top level has no `arguments`', async () => {
  const m = await import('./modules/scope/arguments.mjs');
  assertEqual(m.typeofArguments, 'undefined');
  assertThrows(m.readArguments, ReferenceError);
});

test('functions in a module have their own arguments object', async () => {
  const m = await import('./modules/scope/function-arguments.mjs');
  assertEqual([m.fnArguments, m.arrowArguments], [3, 'outer argument']);
});

test('syntax that strict module code forbids: with, top-level return, octal, await as a name', async () => {
  for (const file of ['with', 'return', 'octal', 'await-identifier']) {
    await assertRejects(import(`./modules/scope/${file}.mjs`), SyntaxError, file);
  }
});

test('syntax a function wrapper would allow: top-level yield and new.target are SyntaxErrors', async () => {
  for (const file of ['yield', 'new-target']) {
    await assertRejects(import(`./modules/scope/${file}.mjs`), SyntaxError, file);
  }
});

test('module keywords inside strings, comments, regexps and property names are left alone', async () => {
  const m = await import('./modules/scope/lexical-traps.mjs');
  assertEqual(m.results, [5, 3, 'import prop!', 'export prop', 'await prop', 'import method', 'export field']);
});

test('a module may use any top-level name, including ones a loader might use itself', async () => {
  const m = await import('./modules/scope/reserved-names.mjs');
  assertEqual(m.results, ['imported', 'H', 'ENV', 'not the host import', '__eddy', true]);
  assertEqual(m.exportedH, 'H');
  assertEqual((await m.load()).value, 'imported');
});

test('top-level declarations of a module are not properties of globalThis', async () => {
  const m = await import('./modules/scope/decls.mjs');
  assertEqual(m.locals, ['string', 'let', 'const', 'function', 'function', 'shadowed locally']);
  for (const name of ['moduleScopeVar', 'moduleScopeLet', 'moduleScopeConst', 'moduleScopeFunction',
    'ModuleScopeClass']) {
    assertEqual(name in globalThis, false, name);
  }
  assertEqual(typeof setTimeout, 'function', 'a module-local setTimeout hides nothing globally');
  globalThis.sharedGlobalForScopeTest = 'global';
  assertEqual(m.readGlobal(), 'global', 'globals are still visible from modules');
  delete globalThis.sharedGlobalForScopeTest;
});

test('two modules with the same top-level names do not collide', async () => {
  const one = await import('./modules/scope/one.mjs');
  const two = await import('./modules/scope/two.mjs');
  assertEqual(one.read(), ['one let', 'one var', 'one function']);
  assertEqual(two.read(), ['two let', 'two var', 'two function']);
  one.write('one changed');
  assertEqual(one.read()[0], 'one changed');
  assertEqual(two.read()[0], 'two let');
  assertEqual('x' in globalThis || 'y' in globalThis || 'f' in globalThis, false);
});

test('an imported .js file without import or export is still module code', async () => {
  globalThis.noSyntaxThis = 'not run';
  const ns = await import('./modules/scope/no-syntax.js');
  assertEqual(Object.keys(ns), []);
  assertEqual(globalThis.noSyntaxThis, undefined);
  assertEqual('notGlobal' in globalThis, false);
});

// ---------------------------------------------------------------------------------------------
// 10. Errors found while loading and linking: no module of the graph runs

test('a missing named export is a SyntaxError naming export and module; nothing ran', async () => {
  globalThis.missingExportLog = [];
  const e = await assertRejects(import('./modules/errors/missing-export/main.mjs'), SyntaxError);
  assertMentions(e.message, 'absent');
  assertMentions(e.message, 'dep.mjs');
  assertEqual(globalThis.missingExportLog, []);
});

test('a missing module anywhere in the graph: nothing ran, not even modules before it', async () => {
  globalThis.missingDepLog = [];
  const e = await assertRejects(import('./modules/errors/missing-dep/main.mjs'));
  assertMentions(e.message,
    `Cannot find module './nope.js' imported from ${fixturePath('errors/missing-dep/main.mjs')}`);
  assertEqual(globalThis.missingDepLog, []);
});

test('a syntax error deep in the graph names that file and line; nothing ran', async () => {
  globalThis.deepSyntaxLog = [];
  const e = await assertRejects(import('./modules/errors/deep-syntax/main.mjs'), SyntaxError);
  const where = `${e.message}\n${e.stack}`;
  assert(locationPattern(fixturePath('errors/deep-syntax/bad.mjs'), 3).test(where), `bad.mjs:3 in:\n${where}`);
  assertEqual(globalThis.deepSyntaxLog, []);
});

test('early errors of module code: duplicate bindings and exports, misplaced declarations', async () => {
  globalThis.earlyLog = [];
  const files = ['import-then-let', 'import-then-function', 'duplicate-import', 'duplicate-export',
    'duplicate-default', 'duplicate-default-as', 'export-undeclared', 'import-in-block',
    'export-in-function', 'await-in-function', 'string-local-name'];
  const accepted = [];
  for (const file of files) {
    try {
      await import(`./modules/errors/early/${file}.mjs`);
      accepted.push(file);
    } catch (e) {
      if (!(e instanceof SyntaxError)) accepted.push(`${file} (${e.name}: ${e.message})`);
    }
  }
  assertEqual(accepted, [], 'files that were not rejected with a SyntaxError');
  assertEqual(globalThis.earlyLog, []);
});

test('an export re-exported in a circle without a declaration is a SyntaxError at link time', async () => {
  globalThis.circularLog = [];
  const e = await assertRejects(import('./modules/errors/circular/main.mjs'), SyntaxError);
  assertMentions(e.message, 'x');
  assertEqual(globalThis.circularLog, []);
});

// ---------------------------------------------------------------------------------------------
// 11. node_modules resolution

const npm = () => import('./modules/npm/load.mjs');

test('bare specifier: package.json "exports" string wins over module and main', async () => {
  assertEqual((await (await npm()).load('pkg-exports-string')).which, 'exports string');
});

test('bare specifier: "exports" conditions pick "import" over "require" and "default"', async () => {
  assertEqual((await (await npm()).load('pkg-conditions')).which, 'import condition');
});

test('bare specifier: "exports" conditions are matched in object order', async () => {
  const { load } = await npm();
  assertEqual((await load('pkg-default-first')).which, 'default listed first');
  assertEqual((await load('pkg-conditions/fallback')).which, 'fallback default');
});

test('bare specifier: "exports" subpath ./feature', async () => {
  assertEqual((await (await npm()).load('pkg-conditions/feature')).which, 'feature subpath');
});

test('bare specifier: "exports" pattern ./lib/*', async () => {
  const { load } = await npm();
  assertEqual((await load('pkg-conditions/lib/util')).which, 'pattern lib/util');
  assertEqual((await load('pkg-conditions/lib/deep/thing')).which, 'pattern lib/deep/thing');
});

test('bare specifier: a subpath that "exports" does not list is not found', async () => {
  const { load } = await npm();
  const e = await assertRejects(load('pkg-conditions/secret.js'));
  assertMentions(e.message, 'secret.js');
});

test('bare specifier: "module" wins over "main"', async () => {
  assertEqual((await (await npm()).load('pkg-module')).which, 'module field');
});

test('bare specifier: "main"', async () => {
  assertEqual((await (await npm()).load('pkg-main')).which, 'main field');
});

test('bare specifier: index.js when package.json names no entry', async () => {
  assertEqual((await (await npm()).load('pkg-index')).which, 'index.js');
});

test('bare specifier: scoped package and its exported subpath @scope/pkg/sub', async () => {
  const { load } = await npm();
  assertEqual((await load('@scope/pkg')).which, '@scope/pkg');
  assertEqual((await load('@scope/pkg/sub')).which, '@scope/pkg/sub');
});

test('bare specifier: a file inside a package without "exports"', async () => {
  const { load } = await npm();
  assertEqual((await load('@scope/plain')).which, '@scope/plain');
  assertEqual((await load('@scope/plain/sub/file.js')).which, '@scope/plain/sub/file.js');
  assertEqual((await load('pkg-main/lib/other.js')).which, 'deep file without exports');
});

test('bare specifier: node_modules directories are searched upward, nearest first', async () => {
  const { load } = await npm();
  assertEqual((await load('pkg-shadowed')).which, 'inner pkg-shadowed (nearest)');
  const outer = await import('./modules/outer-load.mjs');
  assertEqual((await outer.load('pkg-shadowed')).which, 'outer pkg-shadowed');
  const deep = await import('./modules/npm/deep/a/b/load.mjs');
  assertEqual(deep.staticWhich, 'main field');
});

test('bare specifier: a package imports another from the node_modules that holds it', async () => {
  const pkg = await (await npm()).load('pkg-uses-sibling');
  assertEqual(pkg.which, 'uses pkg-sibling');
  assertEqual(pkg.url, fixtureUrl('node_modules/pkg-uses-sibling/index.js'));
});

test('bare specifier and file path of one package file give one module', async () => {
  const { load } = await npm();
  const viaBare = await load('pkg-main');
  assert(await import('./modules/node_modules/pkg-main/lib/main.js') === viaBare);
});

test('import.meta.resolve of bare specifiers', async () => {
  const { resolve } = await npm();
  assertEqual(resolve('pkg-main'), fixtureUrl('node_modules/pkg-main/lib/main.js'));
  assertEqual(resolve('pkg-conditions/lib/util'), fixtureUrl('node_modules/pkg-conditions/src/lib/util.js'));
  assertEqual(resolve('@scope/pkg/sub'), fixtureUrl('node_modules/@scope/pkg/sub/index.js'));
  assertEqual(resolve('pkg-shadowed'), fixtureUrl('npm/node_modules/pkg-shadowed/index.js'));
});

test('a missing package rejects naming the package and the importer, before any code runs', async () => {
  globalThis.missingPackageLog = [];
  const e = await assertRejects(import('./modules/npm/missing.mjs'));
  assertMentions(e.message, "'no-such-package-for-eddy-tests'");
  assertMentions(e.message, `imported from ${fixturePath('npm/missing.mjs')}`);
  assert(e.message.startsWith('Cannot find '), e.message);
  assertEqual(globalThis.missingPackageLog, []);
});

// ---------------------------------------------------------------------------------------------
// 12. Stack traces

test('stack of an error thrown in a module function names the module file and line', async () => {
  const m = await import('./modules/stack/thrower.mjs');
  const path = fixturePath('stack/thrower.mjs');
  const e = thrown(m.fail);
  assert(locationPattern(path, 8).test(e.stack), `line 8 of ${path} in:\n${e.stack}`);
});

test('stack of an error thrown by an imported function names both files', async () => {
  const m = await import('./modules/stack/thrower.mjs');
  const stack = m.caught.stack;
  assert(m.caught instanceof TypeError);
  assert(locationPattern(fixturePath('stack/helper.mjs'), 2).test(stack), `helper.mjs:2 in:\n${stack}`);
  assert(locationPattern(fixturePath('stack/thrower.mjs'), 10).test(stack), `thrower.mjs:10 in:\n${stack}`);
});

test('stack columns are those of the source text (export keyword included)', async () => {
  const m = await import('./modules/stack/thrower.mjs');
  const e = thrown(m.sameLine);
  // JSC places a `new Error(...)` frame at the "(" of the call, as it does for classic scripts:
  // column 45 of line 11 (a classic script with this line gives 45 too, minus `export `: 38).
  assert(locationPattern(fixturePath('stack/thrower.mjs'), 11, 45).test(e.stack),
    `thrower.mjs:11:45 in:\n${e.stack}`);
});

test('an error thrown after a top-level await has the module\'s file and line in the stack', async () => {
  const e = await assertRejects(import('./modules/tla/throw-after-await.mjs'), Error);
  assertEqual(e.message, 'thrown after await');
  const path = fixturePath('tla/throw-after-await.mjs');
  assert(locationPattern(path, 4).test(e.stack), `line 4 of ${path} in:\n${e.stack}`);
});

test('an error thrown at a module\'s top level has its file and line in the stack', async () => {
  const e = await assertRejects(import('./modules/stack/top-level.mjs'), Error);
  assertEqual(e.message, 'thrown at top level');
  const path = fixturePath('stack/top-level.mjs');
  assert(locationPattern(path, 3).test(e.stack), `line 3 of ${path} in:\n${e.stack}`);
});

// Last: a top-level await in the main module. The test above checks the flag it sets.
await new Promise((resolve) => setTimeout(resolve, 1));
await null;
globalThis.mainModuleFinished = true;
