// Streaming fetch bodies against the local test server (tests/servers/httpserver.py): response.body
// as a byte stream fed as the data arrives, backpressure to the socket, cancel and abort mid-body,
// request bodies from a ReadableStream, Blob.stream().
const srv = JSON.parse(eddy.args[eddy.args.length - 1]);
const A = srv.http;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let nextId = 0;
const streamId = () => `s${Date.now()}-${nextId++}`;

async function status(id) {
  return (await fetch(`${A}/stream-status?id=${id}`)).json();
}

// Polls cond() every 20 ms until it holds, failing after ms.
async function until(what, cond, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// Waits until the server's writes to stream `id` stopped (its socket buffers are full): how
// many bytes it wrote.
async function untilStalled(id) {
  let last = -1;
  await until('the server to stall', async () => {
    const { written } = await status(id);
    const stalled = written === last;
    last = written;
    await sleep(100);
    return stalled;
  }, 20000);
  return last;
}

// The /large pattern: byte i is i % 251.
function checkPattern(u8, offset) {
  for (let i = 0; i < u8.length; i += 997) {
    if (u8[i] !== (offset + i) % 251) throw new Error(`byte ${offset + i} is ${u8[i]}`);
  }
}

test('response.body is a byte stream; the first chunk arrives long before the last is sent', async () => {
  const res = await fetch(`${A}/drip?chunks=5&delay_ms=300`);
  const body = res.body;
  assert(body instanceof ReadableStream);
  assertEqual(res.body, body);
  assertEqual(res.bodyUsed, false);
  const reader = body.getReader();
  const t0 = Date.now();
  const first = await reader.read();
  assert(first.value instanceof Uint8Array);
  assertEqual(new TextDecoder().decode(first.value), 'chunk 0\n');
  assert(Date.now() - t0 < 600, `first chunk after ${Date.now() - t0} ms`);
  assertEqual(res.bodyUsed, true);
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  assertEqual(text, 'chunk 1\nchunk 2\nchunk 3\nchunk 4\n');
  await assertRejects(res.text(), TypeError);
});

test('progress: for await over a 20 MB body counts every byte, in order', async () => {
  const res = await fetch(`${A}/stream?id=${streamId()}&bytes=20000000`);
  let n = 0;
  let chunks = 0;
  for await (const chunk of res.body) {
    checkPattern(chunk, n);
    n += chunk.byteLength;
    chunks++;
  }
  assertEqual(n, 20000000);
  assert(chunks > 1);
});

test('each chunk owns a whole, live buffer of its own, and kept chunks keep their bytes', async () => {
  const res = await fetch(`${A}/stream?id=${streamId()}&bytes=4000000`);
  const reader = res.body.getReader();
  const kept = [];
  const buffers = new Set();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    assert(value instanceof Uint8Array);
    assertEqual(value.byteOffset, 0);
    assertEqual(value.buffer.byteLength, value.byteLength);
    assertEqual(value.buffer.detached, false);
    assert(!buffers.has(value.buffer), 'two chunks share a buffer');
    buffers.add(value.buffer);
    kept.push(value);
  }
  let n = 0;
  for (const chunk of kept) { // read after every later chunk arrived: nothing reused them
    checkPattern(chunk, n);
    n += chunk.byteLength;
  }
  assertEqual(n, 4000000);
});

test('a BYOB reader fills the buffers it is given', async () => {
  const res = await fetch(`${A}/large?bytes=100000`);
  const reader = res.body.getReader({ mode: 'byob' });
  let n = 0;
  let buf = new ArrayBuffer(4096);
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buf));
    if (done) break;
    assert(value.byteLength <= 4096);
    checkPattern(value, n);
    n += value.byteLength;
    buf = value.buffer;
  }
  assertEqual(n, 100000);
});

// A pull while C's answer to the previous one is due asks C for nothing more: each later read
// is served once the chunk before it came.
test('reads made at once, default or BYOB, get the body in order, each its own bytes', async () => {
  const total = 3000000;
  const res = await fetch(`${A}/stream?id=${streamId()}&bytes=${total}`);
  const reader = res.body.getReader();
  let n = 0;
  for (;;) {
    const reads = [reader.read(), reader.read(), reader.read()];
    let done = false;
    for (const r of await Promise.all(reads)) {
      if (r.done) {
        done = true;
        continue;
      }
      assert(!done, 'a chunk after the end');
      checkPattern(r.value, n);
      n += r.value.byteLength;
    }
    if (done) break;
  }
  assertEqual(n, total);
  const res2 = await fetch(`${A}/large?bytes=100000`);
  const byob = res2.body.getReader({ mode: 'byob' });
  let m = 0;
  for (;;) {
    const views = await Promise.all([byob.read(new Uint8Array(3000)), byob.read(new Uint8Array(5000))]);
    for (const { value } of views) {
      checkPattern(value, m);
      m += value.byteLength;
    }
    if (views[1].done) break;
  }
  assertEqual(m, 100000);
});

test('BYOB reads: views at an offset, tiny views, then a default reader; min; large views', async () => {
  // A view into the middle of its buffer is filled there, and comes back on the same bytes.
  const r1 = await fetch(`${A}/large?bytes=300000`);
  const byob = r1.body.getReader({ mode: 'byob' });
  const first = await byob.read(new Uint8Array(new ArrayBuffer(1000), 100, 500));
  assertEqual(first.done, false);
  assertEqual(first.value.byteOffset, 100);
  assertEqual(first.value.buffer.byteLength, 1000);
  assert(first.value.byteLength > 0 && first.value.byteLength <= 500);
  let n = first.value.byteLength;
  for (let i = 0; i < n; i++) assertEqual(first.value[i], i % 251);
  // One-byte and seven-byte views drain what waits a few bytes at a time, in order.
  for (let k = 0; k < 40; k++) {
    const { value } = await byob.read(new Uint8Array(k % 2 ? 1 : 7));
    for (let i = 0; i < value.byteLength; i++) assertEqual(value[i], (n + i) % 251);
    n += value.byteLength;
  }
  // The rest through a default reader, from where the BYOB reads stopped.
  byob.releaseLock();
  const reader = r1.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.byteLength; i += 101) assertEqual(value[i], (n + i) % 251);
    n += value.byteLength;
  }
  assertEqual(n, 300000);

  // read(view, { min }) waits for at least min bytes of a dripped body.
  const r2 = await fetch(`${A}/drip?chunks=4&delay_ms=30&size=1000`);
  const b2 = r2.body.getReader({ mode: 'byob' });
  const got = await b2.read(new Uint8Array(4000), { min: 2500 });
  assert(got.value.byteLength >= 2500, `${got.value.byteLength} bytes`);
  let total = got.value.byteLength;
  for (;;) {
    const { value, done } = await b2.read(new Uint8Array(4000));
    if (done) {
      assertEqual(value.byteLength, 0);
      break;
    }
    total += value.byteLength;
  }
  assertEqual(total, 4000);

  // 5 MB through 64 KiB views: the transfer pauses and resumes under them.
  const r3 = await fetch(`${A}/stream?id=${streamId()}&bytes=5000000`);
  const b3 = r3.body.getReader({ mode: 'byob' });
  let buf = new ArrayBuffer(65536);
  let m = 0;
  for (;;) {
    const { value, done } = await b3.read(new Uint8Array(buf));
    if (done) break;
    checkPattern(value, m);
    m += value.byteLength;
    buf = value.buffer;
  }
  assertEqual(m, 5000000);
});

test('cancelling a BYOB reader with a read pending ends the read and closes the connection', async () => {
  const id = streamId();
  const res = await fetch(`${A}/stream?id=${id}`); // endless
  const reader = res.body.getReader({ mode: 'byob' });
  await reader.read(new Uint8Array(16));
  // Let the transfer pause behind the unread bytes, then wait in a read whose view C holds.
  await sleep(50);
  const pending = reader.read(new Uint8Array(1 << 20));
  await reader.cancel(new Error('enough'));
  const r = await pending;
  assert(r.done === true || r.value.byteLength > 0);
  await until('the server to see the connection closed', async () => (await status(id)).closed);
  // A dripped body whose next chunk is far off: the pending read is the one cancelled.
  const slow = await fetch(`${A}/drip?chunks=3&delay_ms=3000`);
  const sr = slow.body.getReader({ mode: 'byob' });
  await sr.read(new Uint8Array(64));
  const waiting = sr.read(new Uint8Array(64));
  await sr.cancel();
  assertEqual((await waiting).done, true);
});

test('the consuming methods read a body whose stream was made but not read', async () => {
  const res = await fetch(`${A}/large?bytes=200000`);
  assert(res.body instanceof ReadableStream);
  const u8 = await res.bytes();
  assertEqual(u8.byteLength, 200000);
  checkPattern(u8, 0);
  assertEqual(res.bodyUsed, true);
  const locked = await fetch(`${A}/plain`);
  locked.body.getReader();
  await assertRejects(locked.text(), TypeError);
  assertThrows(() => locked.clone(), TypeError);
});

test('clone() of a streamed body tees it: both branches get every byte', async () => {
  const res = await fetch(`${A}/stream?id=${streamId()}&bytes=5000000`);
  assert(res.body instanceof ReadableStream);
  const copy = res.clone();
  assert(res.body !== copy.body);
  const [a, b] = await Promise.all([res.arrayBuffer(), copy.arrayBuffer()]);
  assertEqual(a.byteLength, 5000000);
  assertEqual(b.byteLength, 5000000);
  checkPattern(new Uint8Array(a), 0);
  checkPattern(new Uint8Array(b), 0);
  // Once read from, a body cannot be cloned.
  const r1 = await fetch(`${A}/plain`);
  const rd = r1.body.getReader();
  await rd.read();
  rd.releaseLock();
  assertThrows(() => r1.clone(), TypeError);
  // A clone of a body nobody streamed yet: one streams, the other reads whole.
  const r2 = await fetch(`${A}/plain`);
  const c2 = r2.clone();
  let text = '';
  for await (const chunk of r2.body) text += new TextDecoder().decode(chunk, { stream: true });
  assertEqual(text, await c2.text());
});

test('cancelling the body closes the connection at once', async () => {
  const id = streamId();
  const res = await fetch(`${A}/stream?id=${id}`); // endless
  const reader = res.body.getReader();
  await reader.read();
  await reader.cancel(new Error('enough'));
  assertEqual((await reader.read()).done, true);
  await until('the server to see the connection closed', async () => (await status(id)).closed);
});

test('aborting mid-body rejects the pending read with the reason and closes the connection', async () => {
  const id = streamId();
  const c = new AbortController();
  const res = await fetch(`${A}/stream?id=${id}`, { signal: c.signal });
  const reader = res.body.getReader();
  await reader.read();
  // Read until a read has to wait on the socket, then abort it.
  const reason = new Error('stop');
  const pending = (async () => {
    for (;;) await reader.read();
  })();
  setTimeout(() => c.abort(reason), 50);
  const err = await pending.then(() => null, (e) => e);
  assertEqual(err, reason);
  await until('the server to see the connection closed', async () => (await status(id)).closed);
  // Aborting with the default reason: an AbortError DOMException.
  const c2 = new AbortController();
  const r2 = await fetch(`${A}/stream?id=${streamId()}`, { signal: c2.signal });
  const rd2 = r2.body.getReader();
  await rd2.read();
  c2.abort();
  const e2 = await rd2.read().then(() => null, (e) => e);
  assertEqual(e2.name, 'AbortError');
});

// A chunk is at most src/web/http.h's CHUNK_CAP: the high-water mark plus the rest of one read.
const CHUNK_MAX = 768 * 1024;

// Reads to the end, each chunk no larger than CHUNK_MAX and looked at by check(value); a pause
// after each chunk if pause(count) returns a promise. The bytes and chunks read.
async function readToEnd(reader, check, pause = () => null) {
  let n = 0;
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { n, chunks };
    assert(value.byteLength <= CHUNK_MAX, `a chunk of ${value.byteLength} bytes`);
    check(value);
    n += value.byteLength;
    await pause(++chunks);
  }
}

test('bytes that arrived before the body was first read come in chunks of at most 768 KiB', async () => {
  // Until the script touches res.body the bytes are buffered as for text(); a stream made then
  // hands them over in pieces (src/web/http.h's STREAM_HWM), not as one chunk of megabytes. The
  // drip writes 3 MB at once and the rest a second later: the round trips below let C take in
  // the first part meanwhile (the assertions hold however much of it arrived).
  const res = await fetch(`${A}/drip?chunks=2&delay_ms=1000&size=3000000`);
  for (let i = 0; i < 3; i++) assertEqual((await (await fetch(`${A}/echo`)).json()).method, 'GET');
  const { n, chunks } = await readToEnd(res.body.getReader(), (value) => {
    assertEqual(value.buffer.byteLength, value.byteLength);
    for (let i = 0; i < value.length; i += 4099) assertEqual(value[i], 120); // "x"
  });
  assertEqual(n, 6000000);
  assert(chunks >= 8, `${chunks} chunks`);
});

test('chunks kept while later ones arrive keep their bytes, read by either reader', async () => {
  // Chunks are cut back to back from shared slabs: no later chunk or BYOB read may write
  // into one that went to the script.
  const id = streamId();
  const res = await fetch(`${A}/stream?id=${id}&bytes=${64 * 1024 * 1024}`);
  const reader = res.body.getReader();
  const kept = [];
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const { value } = await reader.read();
    kept.push([value, n]);
    n += value.byteLength;
  }
  reader.releaseLock();
  const byob = res.body.getReader({ mode: 'byob' });
  while (n < 6000000) {
    const { value } = await byob.read(new Uint8Array(20000));
    checkPattern(value, n);
    kept.push([value, n]);
    n += value.byteLength;
  }
  byob.releaseLock();
  const again = res.body.getReader();
  for (let i = 0; i < 8; i++) {
    const { value } = await again.read();
    kept.push([value, n]);
    n += value.byteLength;
  }
  await again.cancel();
  for (const [chunk, at] of kept) {
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== (at + i) % 251) throw new Error(`byte ${at + i} of a kept chunk is ${chunk[i]}`);
    }
  }
  await until('the server to see the connection closed', async () => (await status(id)).closed);
});

test('a body not read yet is held at the high-water mark; read whole later, it arrives whole', async () => {
  const id = streamId();
  const size = 96 * 1024 * 1024;
  const res = await fetch(`${A}/stream?id=${id}&bytes=${size}`);
  // Neither body nor text() & co. touched: C holds 256 KiB, the kernel's buffers the rest.
  const last = await untilStalled(id);
  assert(last < 64 * 1024 * 1024, `the server wrote ${last} bytes to an unread body`);
  assertEqual((await status(id)).finished, false);
  const u8 = new Uint8Array(await res.arrayBuffer());
  assertEqual(u8.byteLength, size);
  checkPattern(u8, 0);
  assertEqual(u8[size - 1], (size - 1) % 251);
  // One left unread for good: it pauses, is no pending work, and the engine's close frees it.
  const unread = streamId();
  await fetch(`${A}/stream?id=${unread}&bytes=${size}`);
  assert(await untilStalled(unread) < 64 * 1024 * 1024, 'the unread body stalls');
});

test('a compressed body that decodes past one read streams whole, in chunks of at most 768 KiB', async () => {
  // 64 MiB of zeros in ~64 KiB of gzip: one read of libcurl's decodes to far more than the
  // rest of a read that a pause over HTTP/1.1 takes in (src/web/http_curl.c's stream_hold), so
  // libcurl holds the rest itself; every byte still arrives once, in order, at every pace.
  for (const chunked of [0, 1]) {
    const res = await fetch(`${A}/gzip-bomb?mb=64&chunked=${chunked}`);
    const { n } = await readToEnd(res.body.getReader(), (value) => {
      for (let i = 0; i < value.length; i += 4093) assertEqual(value[i], 0);
    }, (count) => (count % 16 === 0 ? sleep(1) : null)); // a slower reader now and then: pauses
    assertEqual(n, 64 * 1024 * 1024);
  }
});

test('a redirect with a body larger than the high-water mark is followed', async () => {
  const res = await fetch(`${A}/redirect/302?pad=${1024 * 1024}`);
  assertEqual(res.redirected, true);
  assertEqual((await res.json()).method, 'GET');
});

test('a stalled reader pauses the transfer: bounded memory, other fetches go on', async () => {
  const id = streamId();
  const rss0 = Number(await (await fetch(`${A}/peer-rss`)).text());
  const res = await fetch(`${A}/stream?id=${id}&bytes=${256 * 1024 * 1024}`);
  const reader = res.body.getReader();
  let got = (await reader.read()).value.byteLength;
  // Stop reading; wait until the server cannot write any more (the socket buffers are full).
  const last = await untilStalled(id);
  assert(last < 64 * 1024 * 1024, `the server wrote ${last} bytes to a stalled reader`);
  // The engine still serves another fetch meanwhile.
  assertEqual((await (await fetch(`${A}/echo`)).json()).method, 'GET');
  const rss1 = Number(await (await fetch(`${A}/peer-rss`)).text());
  if (rss0 > 0 && rss1 > 0) {
    assert(rss1 - rss0 < 64 * 1024, `RSS grew by ${rss1 - rss0} KiB`);
  }
  // Reading resumes the transfer (once what C holds was read).
  await until('the transfer to resume', async () => {
    got += (await reader.read()).value.byteLength;
    return (await status(id)).written > last;
  }, 20000);
  await reader.cancel();
  await until('the server to see the connection closed', async () => (await status(id)).closed);
});

test('a request body from a ReadableStream is uploaded chunked, in order, as it is produced', async () => {
  const sizes = [5, 70000, 1, 300];
  let i = 0;
  const stream = new ReadableStream({
    async pull(c) {
      if (i === sizes.length) {
        c.close();
        return;
      }
      await sleep(i === 2 ? 150 : 0);
      c.enqueue(new Uint8Array(sizes[i]).fill(65 + i));
      i++;
    },
  });
  const res = await fetch(`${A}/upload-info`, { method: 'POST', body: stream, duplex: 'half' });
  const info = await res.json();
  assertEqual(info.transferEncoding, 'chunked');
  assertEqual(info.contentLength, null);
  const body = atob(info.bodyBase64);
  assertEqual(body.length, 70306);
  assertEqual(body, 'A'.repeat(5) + 'B'.repeat(70000) + 'C' + 'D'.repeat(300));
  // The third chunk was produced 150 ms after the second: it arrived that much later.
  const at = info.msAfterFirst;
  assert(at[at.length - 1] >= 100, `chunks arrived at ${JSON.stringify(at)} ms`);
});

test('an uploaded chunk that is a view into a larger buffer sends the view, not the buffer start', async () => {
  const buffer = new Uint8Array(64).map((_, k) => 48 + (k % 10));
  const chunks = [buffer.subarray(7, 12), new Uint8Array(buffer.buffer, 33, 4)];
  const stream = new ReadableStream({
    pull(c) {
      if (chunks.length === 0) c.close();
      else c.enqueue(chunks.shift());
    },
  });
  const res = await fetch(`${A}/upload-info`, { method: 'POST', body: stream, duplex: 'half' });
  assertEqual(atob((await res.json()).bodyBase64), '78901' + '3456');
});

test('duplex: a stream body without duplex is a TypeError; bad chunks and errors fail the fetch', async () => {
  const s = () => new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(1)); c.close(); } });
  assertThrows(() => new Request(`${A}/echo`, { method: 'POST', body: s() }), TypeError);
  await assertRejects(fetch(`${A}/echo`, { method: 'POST', body: s() }), TypeError);
  assertThrows(() => new Request(`${A}/echo`, { method: 'POST', body: s(), duplex: 'full' }), TypeError);
  assertThrows(() => new Request(`${A}/echo`, { method: 'POST', body: s(), duplex: 'half', keepalive: true }), TypeError);
  const req = new Request(`${A}/echo`, { method: 'POST', body: s(), duplex: 'half' });
  assert(req.body instanceof ReadableStream);
  assertEqual(req.duplex, 'half');
  const e = await (await fetch(req)).json();
  assertEqual(e.bodyBase64, 'AA==');
  assertEqual(req.bodyUsed, true);
  await assertRejects(fetch(req), TypeError);
  const bad = new ReadableStream({ pull(c) { c.enqueue('text'); } });
  await assertRejects(fetch(`${A}/echo`, { method: 'POST', body: bad, duplex: 'half' }), TypeError);
  const boom = new Error('boom');
  const failing = new ReadableStream({ pull(c) { c.error(boom); } });
  const err = await fetch(`${A}/echo`, { method: 'POST', body: failing, duplex: 'half' }).then(() => null, (x) => x);
  assertEqual(err, boom);
});

test('redirects with a stream body: 303 becomes a GET, 307 is a network error', async () => {
  const s = () => new ReadableStream({ pull(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
  const res = await fetch(`${A}/redirect/303`, { method: 'POST', body: s(), duplex: 'half' });
  const e = await res.json();
  assertEqual([e.method, e.bodyBase64], ['GET', '']);
  await assertRejects(fetch(`${A}/redirect/307`, { method: 'POST', body: s(), duplex: 'half' }), TypeError);
});

test('new Response(stream), the body of constructed responses and requests, Blob.stream()', async () => {
  const enc = new TextEncoder();
  const parts = ['he', 'llo', ' world'];
  const res = new Response(new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(enc.encode(p));
      c.close();
    },
  }));
  assertEqual(await res.text(), 'hello world');
  const r2 = new Response('abc');
  const chunks = [];
  for await (const c of r2.body) chunks.push(...c);
  assertEqual(chunks, [97, 98, 99]);
  assertEqual(r2.bodyUsed, true);
  assertEqual(new Response(null).body, null);
  assertEqual(new Response().body, null);
  const req = new Request(`${A}/echo`, { method: 'PUT', body: 'xyz' });
  assertEqual(new TextDecoder().decode((await req.body.getReader().read()).value), 'xyz');
  const blob = new Blob(['a'.repeat(70000), 'bc']);
  const bs = blob.stream();
  assert(bs instanceof ReadableStream);
  let n = 0;
  let tail = '';
  for await (const c of bs) {
    n += c.byteLength;
    tail = String.fromCharCode(...c.subarray(c.length - 2));
  }
  assertEqual([n, tail], [70002, 'bc']);
  assertEqual(await blob.text(), 'a'.repeat(70000) + 'bc'); // the blob's bytes did not move
  const byob = blob.stream().getReader({ mode: 'byob' });
  const { value } = await byob.read(new Uint8Array(10));
  assertEqual(value.byteLength, 10);
  assertThrows(() => Blob.prototype.stream.call({}), TypeError);
  // A stream that is locked or disturbed cannot become a body.
  const used = new ReadableStream();
  used.getReader();
  assertThrows(() => new Response(used), TypeError);
});

test('HEAD and null-body statuses have a null body', async () => {
  assertEqual((await fetch(`${A}/echo`, { method: 'HEAD' })).body, null);
  const r = await fetch(`${A}/status/204`);
  assertEqual(r.body, null);
  assertEqual(await r.text(), '');
});

test('after text(), body is a disturbed, locked stream', async () => {
  const res = await fetch(`${A}/plain`);
  const p = res.text();
  const body = res.body;
  assert(body instanceof ReadableStream);
  assertEqual(body.locked, true);
  assertEqual(res.bodyUsed, true);
  assertThrows(() => body.getReader(), TypeError);
  assert((await p).startsWith('line 0'));
});

test('aborting a streamed upload rejects the fetch and cancels the producer with the reason', async () => {
  let cancelled = null;
  const body = new ReadableStream({
    pull(c) {
      c.enqueue(new Uint8Array(1000));
      return new Promise(() => {}); // then produces nothing more
    },
    cancel(reason) { cancelled = reason; },
  });
  const c = new AbortController();
  const p = fetch(`${A}/upload-info`, { method: 'POST', body, duplex: 'half', signal: c.signal });
  const reason = new Error('stop the upload');
  setTimeout(() => c.abort(reason), 100);
  const err = await p.then(() => null, (e) => e);
  assertEqual(err, reason);
  await until('the producer to be cancelled', () => cancelled !== null);
  assertEqual(cancelled, reason);
});
