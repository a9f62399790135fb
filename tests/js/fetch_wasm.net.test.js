// WebAssembly.compileStreaming / instantiateStreaming (the WebAssembly Web API) over fetch from the
// local test server: /reflect answers with the request's body and Content-Type.
const srv = JSON.parse(eddy.args[eddy.args.length - 1]);
const A = srv.http;

// (module (func (export "increment") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
const incrementer = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type: (i32) -> i32
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x07, 0x0d, 0x01, 0x09, ...new TextEncoder().encode('increment'), 0x00, 0x00,
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b,
]);
// (module (import "env" "f" (func)))
const importer = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
  0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00,
]);

const serve = (bytes, type = 'application/wasm') =>
  fetch(`${A}/reflect`, { method: 'POST', body: bytes, headers: type === null ? {} : { 'content-type': type } });

test('the methods exist with the Web API shape', () => {
  for (const name of ['compileStreaming', 'instantiateStreaming']) {
    const d = Object.getOwnPropertyDescriptor(WebAssembly, name);
    assertEqual(typeof d.value, 'function');
    assertEqual(d.enumerable, false);
    assertEqual(d.writable, true);
    assertEqual(d.value.name, name);
    assertEqual(d.value.length, 1);
  }
});

test('compileStreaming takes a Response or a promise of one', async () => {
  const module = await WebAssembly.compileStreaming(serve(incrementer));
  assertEqual(Object.getPrototypeOf(module), WebAssembly.Module.prototype);
  assertEqual(WebAssembly.Module.exports(module)[0].name, 'increment');
  const res = await serve(incrementer);
  const again = await WebAssembly.compileStreaming(res);
  assert(again instanceof WebAssembly.Module);
  assertEqual(res.bodyUsed, true);
  await assertRejects(res.blob(), TypeError);
});

test('instantiateStreaming resolves with { module, instance }, imports and all', async () => {
  const { module, instance } = await WebAssembly.instantiateStreaming(serve(incrementer));
  assert(module instanceof WebAssembly.Module);
  assert(instance instanceof WebAssembly.Instance);
  assertEqual(instance.exports.increment(41), 42);
  let called = 0;
  const r = await WebAssembly.instantiateStreaming(serve(importer), { env: { f() { called++; } } });
  assert(r.instance instanceof WebAssembly.Instance);
  // An omitted import object fails a module that imports.
  await assertRejects(WebAssembly.instantiateStreaming(serve(importer)), TypeError);
  assertEqual(called, 0);
});

test('the Content-Type must be application/wasm, exactly', async () => {
  for (const type of ['APPLICATION/WASM', 'application/wasm ', '\tApplication/Wasm\t']) {
    assert(await WebAssembly.compileStreaming(serve(incrementer, type)) instanceof WebAssembly.Module, type);
  }
  for (const type of ['', 'application/octet-stream', 'text/wasm', 'application/wasm;', 'application/wasm;x',
    'application/wasm;charset=UTF-8', '"application/wasm"']) {
    await assertRejects(WebAssembly.compileStreaming(serve(incrementer, type)), TypeError);
    await assertRejects(WebAssembly.instantiateStreaming(serve(incrementer, type)), TypeError);
  }
  // No Content-Type at all (a Response made from the body alone).
  const res = await serve(incrementer);
  await assertRejects(WebAssembly.compileStreaming(new Response(res.body)), TypeError);
  // Set late, on a constructed Response: what counts is the header list when it is checked.
  const late = new Response(incrementer, { headers: { 'content-type': 'test/test' } });
  late.headers.set('content-type', 'application/wasm');
  assert(await WebAssembly.compileStreaming(late) instanceof WebAssembly.Module);
  await assertRejects(late.blob(), TypeError);
});

test('a status that is not ok, a used body, bad bytes, a non-Response and a rejected source reject', async () => {
  const notFound = await fetch(`${A}/status/404`);
  const wasm404 = new Response(await notFound.arrayBuffer(), { status: 404, headers: { 'content-type': 'application/wasm' } });
  await assertRejects(WebAssembly.compileStreaming(wasm404), TypeError);
  const used = await serve(incrementer);
  await used.arrayBuffer();
  await assertRejects(WebAssembly.compileStreaming(used), TypeError);
  await assertRejects(WebAssembly.compileStreaming(serve(new Uint8Array([1, 2, 3]))), WebAssembly.CompileError);
  for (const bad of [undefined, null, 42, 'x', {}, new Request(A), incrementer]) {
    await assertRejects(WebAssembly.compileStreaming(bad), TypeError);
    await assertRejects(WebAssembly.instantiateStreaming(bad), TypeError);
  }
  const reason = new Error('no');
  let caught = null;
  try {
    await WebAssembly.compileStreaming(Promise.reject(reason));
  } catch (err) {
    caught = err;
  }
  assertEqual(caught, reason);
  // A network error of the fetch itself rejects with it.
  await assertRejects(WebAssembly.compileStreaming(fetch('http://127.0.0.1:1/')), TypeError);
});

test('a streamed body compiles too', async () => {
  const bytes = incrementer;
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(bytes.subarray(0, 10));
      c.enqueue(bytes.subarray(10));
      c.close();
    },
  });
  const res = new Response(stream, { headers: { 'content-type': 'application/wasm' } });
  const { instance } = await WebAssembly.instantiateStreaming(res);
  assertEqual(instance.exports.increment(1), 2);
});
