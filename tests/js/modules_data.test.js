// ES modules from data: URLs (HTML's "fetch a single module script" of a data: URL through
// Fetch's data: URL processor), as Node, Deno and Bun import them: a JavaScript MIME type gives a
// JavaScript module, a JSON one a JSON module (with type "json"), anything else fails; the URL is
// the module's key and its import.meta.url, and relative specifiers cannot resolve against it.

const js = (source) => 'data:text/javascript,' + encodeURIComponent(source);

test('a data: URL with a JavaScript MIME type is a module', async () => {
  const m = await import(js('export default 6 * 7; export const here = import.meta.url;'));
  assertEqual(m.default, 42);
  assertEqual(m.here, js('export default 6 * 7; export const here = import.meta.url;'));
});

test('base64 and percent-encoded bodies decode as UTF-8', async () => {
  const b64 = await import('data:text/javascript;base64,' + btoa("export const x = 'b64';"));
  assertEqual(b64.x, 'b64');
  const utf8 = await import("data:text/javascript;charset=utf-8,export%20const%20e%20%3D%20'%C3%A9'");
  assertEqual(utf8.e, '\u00e9');
  const legacy = await import('data:application/x-javascript,export const y = 1');
  assertEqual(legacy.y, 1);
});

test('one URL is one module instance; another URL another', async () => {
  const a = await import(js('export const o = {};'));
  const b = await import(js('export const o = {};'));
  const c = await import(js('export const o = {}; '));
  assert(a === b, 'same URL, same namespace');
  assert(a.o !== c.o, 'a different URL is a different module');
});

test('a JSON MIME type with type "json" is a JSON module, without it an error', async () => {
  const url = 'data:application/json,' + encodeURIComponent('{"a":[1,2]}');
  const j = await import(url, { with: { type: 'json' } });
  assertEqual(j.default.a[1], 2);
  const ld = await import('data:application/ld+json,{}', { with: { type: 'json' } });
  assertEqual(JSON.stringify(ld.default), '{}');
  const e = await assertRejects(import('data:application/json,1'), TypeError);
  assert(/JavaScript MIME type/.test(e.message), e.message);
  await assertRejects(import(js('export default 1'), { with: { type: 'json' } }), TypeError);
});

test('other MIME types and malformed data: URLs fail with a TypeError', async () => {
  const e = await assertRejects(import('data:text/plain,export default 1'), TypeError);
  assert(e.message.includes('text/plain'), e.message);
  await assertRejects(import('data:,export default 1'), TypeError); // text/plain by default
  await assertRejects(import('data:text/javascript'), TypeError); // no comma
  await assertRejects(import('data:text/javascript;base64,%%%'), TypeError);
});

test('a syntax error in a data: module is a SyntaxError', async () => {
  await assertRejects(import(js('export const = 1')), SyntaxError);
});

test('a data: module imports absolute URLs, not relative ones', async () => {
  const inner = js('export const v = "inner";');
  const outer = await import(js(`export { v } from ${JSON.stringify(inner)};`));
  assertEqual(outer.v, 'inner');
  const rel = await assertRejects(import(js("import './x.js';")), TypeError);
  assert(rel.message.includes("'./x.js'"), rel.message);
  await assertRejects(import(js("import '/abs.js';")), TypeError);
});

test('import.meta.resolve keeps a data: URL as it is', () => {
  // This test file is a classic script: resolve through a module that reports it.
  return import(js('export const r = import.meta.resolve("data:text/javascript,1");')).then((m) => {
    assertEqual(m.r, 'data:text/javascript,1');
  });
});
