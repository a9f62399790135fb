// Blob, FormData and URLSearchParams bodies against the local test server
// (tests/servers/httpserver.py): /multipart parses uploads with Python's email parser, /reflect
// sends a body back with its Content-Type, /echo describes the request.
const srv = JSON.parse(eddy.args[eddy.args.length - 1]);
const A = srv.http;

const header = (e, name) => {
  const h = e.headers.find(([n]) => n === name);
  return h ? h[1] : null;
};
const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function upload(body) {
  const res = await fetch(`${A}/multipart`, { method: 'POST', body });
  assertEqual(res.status, 200, await res.clone().text());
  return res.json();
}

test('a FormData upload is multipart/form-data that another parser reads back the same', async () => {
  const all = new Uint8Array(256).map((_, i) => i);
  const f = new FormData();
  f.append('text', 'plain value');
  f.append('ünï', 'çödé €');
  f.append('file', new File([all], 'all bytes.bin', { type: 'application/x-test' }));
  f.append('blob', new Blob(['from a blob']));
  f.append('text', 'second');
  const j = await upload(f);
  assert(/^multipart\/form-data; boundary=/.test(j.type), j.type);
  assertEqual(j.parts.map((p) => [p.name, p.filename, p.contentType]), [
    ['text', null, null], ['ünï', null, null], ['file', 'all bytes.bin', 'application/x-test'],
    ['blob', 'blob', 'application/octet-stream'], ['text', null, null]]);
  assertEqual(j.parts.map((p) => p.body).filter((_, i) => i !== 2), ['plain value', 'çödé €', 'from a blob', 'second']);
  assertEqual(Array.from(fromBase64(j.parts[2].bodyBase64)), Array.from(all));
});

test('a large file in a FormData goes up intact', async () => {
  const big = new Uint8Array(300000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xFF;
  const blob = new Blob([big.subarray(0, 100000), new Blob([big.subarray(100000)])]);
  const f = new FormData();
  f.append('big', blob.slice(0, 250000), 'big.bin');
  f.append('after', 'tail');
  const j = await upload(f);
  assertEqual(j.parts.length, 2);
  const got = fromBase64(j.parts[0].bodyBase64);
  assertEqual(got.length, 250000);
  let same = true;
  for (let i = 0; i < got.length; i++) if (got[i] !== big[i]) { same = false; break; }
  assert(same, 'bytes differ');
  assertEqual(j.parts[1].body, 'tail');
});

test('escaped names and filenames reach the server as HTML escapes them', async () => {
  const f = new FormData();
  f.append('quote"name', 'line1\nline2');
  f.append('file', new Blob(['x']), 'we"ird\r\nname.txt');
  const j = await upload(f);
  assertEqual(j.parts.map((p) => [p.name, p.filename]), [['quote%22name', null], ['file', 'we%22ird%0D%0Aname.txt']]);
  assertEqual(j.parts[0].body, 'line1\r\nline2');
});

test('a Blob body: its bytes, and Content-Type from its type', async () => {
  const bytes = new Uint8Array([0, 1, 254, 255]);
  let e = await (await fetch(`${A}/echo`, { method: 'POST', body: new Blob([bytes], { type: 'Application/X-Thing' }) })).json();
  assertEqual(e.bodyBase64, 'AAH+/w==');
  assertEqual(header(e, 'content-type'), 'application/x-thing');
  assertEqual(header(e, 'content-length'), '4');
  e = await (await fetch(`${A}/echo`, { method: 'PUT', body: new Blob(['no type']) })).json();
  assertEqual(e.body, 'no type');
  assertEqual(header(e, 'content-type'), null);
  e = await (await fetch(`${A}/echo`, { method: 'POST', body: new Blob(['x'], { type: 'a/b' }), headers: { 'content-type': 'c/d' } })).json();
  assertEqual(header(e, 'content-type'), 'c/d');
  const big = new Blob([new Uint8Array(100000).fill(7)]);
  e = await (await fetch(`${A}/echo`, { method: 'POST', body: big })).json();
  assertEqual(fromBase64(e.bodyBase64).length, 100000);
});

test('a URLSearchParams body is application/x-www-form-urlencoded', async () => {
  const e = await (await fetch(`${A}/echo`, { method: 'POST', body: new URLSearchParams({ a: 'b c', d: 'é&' }) })).json();
  assertEqual(e.body, 'a=b+c&d=%C3%A9%26');
  assertEqual(header(e, 'content-type'), 'application/x-www-form-urlencoded;charset=UTF-8');
});

test('formData() of a multipart response: a FormData sent up and reflected back', async () => {
  const f = new FormData();
  f.append('a', 'one');
  f.append('f', new File(['file body\r\n--not a boundary'], 'f.txt', { type: 'text/x-f' }));
  f.append('a', 'two');
  const res = await fetch(`${A}/reflect`, { method: 'POST', body: f });
  assert(res.headers.get('content-type').startsWith('multipart/form-data; boundary='));
  const back = await res.formData();
  assertEqual(back.getAll('a'), ['one', 'two']);
  const file = back.get('f');
  assert(file instanceof File);
  assertEqual([file.name, file.type, await file.text()], ['f.txt', 'text/x-f', 'file body\r\n--not a boundary']);
});

test('formData() of an urlencoded response, and blob() with the response\'s type', async () => {
  let res = await fetch(`${A}/reflect`, {
    method: 'POST', body: 'x=1&y=%E2%9C%93', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assertEqual([...await res.formData()], [['x', '1'], ['y', '✓']]);
  res = await fetch(`${A}/large?bytes=70000`);
  const blob = await res.blob();
  assertEqual([blob.size, blob.type], [70000, 'application/octet-stream']);
  const u8 = new Uint8Array(await blob.slice(250, 253).arrayBuffer());
  assertEqual(Array.from(u8), [250, 0, 1]);
  res = await fetch(`${A}/echo`);
  assertEqual((await res.blob()).type, 'application/json');
});

test('new Request(request, { body }) sends the new body and leaves the input usable', async () => {
  const input = new Request(`${A}/echo`, { method: 'POST', body: 'old body', headers: { 'x-kept': '1' } });
  const f = new FormData();
  f.append('k', 'v');
  const replaced = new Request(input, { body: f });
  assertEqual(input.bodyUsed, false);
  const e = await (await fetch(replaced)).json();
  assertEqual(header(e, 'x-kept'), '1');
  // The input's headers (with its text/plain Content-Type) were copied, so they win.
  assertEqual(header(e, 'content-type'), 'text/plain;charset=UTF-8');
  assert(e.body.includes('name="k"\r\n\r\nv\r\n'), e.body);
  assertEqual(await input.text(), 'old body');
  // A used input can still be the base of a request with a new body.
  const again = new Request(input, { body: 'newest' });
  assertEqual((await (await fetch(again)).json()).body, 'newest');
  assertThrows(() => new Request(input), TypeError, 'but not take over its used body');
});
