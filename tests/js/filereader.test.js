// FileReader (File API "Reading data") and the ProgressEvent its events are (XMLHttpRequest).
'use strict';

const TYPES = ['loadstart', 'progress', 'load', 'abort', 'error', 'loadend'];

// Starts `read(reader)` and resolves with the events seen up to loadend (or after `ms`):
// "type:loaded/total:readyState" each.
function record(read, ms = 2000) {
  const reader = new FileReader();
  const events = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no loadend: ${events.join(' ')}`)), ms);
    for (const type of TYPES) {
      reader.addEventListener(type, (e) => {
        events.push(`${e.type}:${e.loaded}/${e.total}:${reader.readyState}`);
        if (type === 'loadend') {
          clearTimeout(timer);
          resolve({ reader, events });
        }
      });
    }
    read(reader);
  });
}

test('shape: an EventTarget with the constants, attributes and on* handlers', () => {
  const r = new FileReader();
  assert(r instanceof EventTarget);
  assertEqual([FileReader.EMPTY, FileReader.LOADING, FileReader.DONE], [0, 1, 2]);
  assertEqual([r.EMPTY, r.LOADING, r.DONE], [0, 1, 2]);
  assertEqual([r.readyState, r.result, r.error], [0, null, null]);
  for (const type of TYPES) assertEqual(r[`on${type}`], null, type);
  assertEqual(Object.prototype.toString.call(r), '[object FileReader]');
  assertThrows(() => FileReader(), TypeError);
  assertThrows(() => Object.getOwnPropertyDescriptor(FileReader.prototype, 'readyState').get.call({}), TypeError);
  const d = Object.getOwnPropertyDescriptor(globalThis, 'FileReader');
  assertEqual([d.writable, d.enumerable, d.configurable], [true, false, true]);
});

test('readAsArrayBuffer: loadstart, progress, load, loadend, each a task of its own', async () => {
  let sync = true;
  const p = record((r) => {
    r.readAsArrayBuffer(new Blob(['abc', new Uint8Array([0, 255])]));
    assertEqual([r.readyState, r.result], [FileReader.LOADING, null]);
  });
  sync = false;
  const { reader, events } = await p;
  assert(!sync);
  assertEqual(events, ['loadstart:0/5:1', 'progress:5/5:1', 'load:5/5:2', 'loadend:5/5:2']);
  assert(reader.result instanceof ArrayBuffer);
  assertEqual(Array.from(new Uint8Array(reader.result)), [97, 98, 99, 0, 255]);
  assertEqual(reader.error, null);
});

test('no event is dispatched synchronously, not even loadstart', async () => {
  const r = new FileReader();
  const seen = [];
  r.onloadstart = () => seen.push('loadstart');
  r.readAsText(new Blob(['x']));
  await Promise.resolve();
  assertEqual(seen, [], 'not in a microtask either');
  await new Promise((resolve) => { r.onloadend = resolve; });
  assertEqual(seen, ['loadstart']);
});

test('an empty Blob: loadstart, then load and loadend without progress', async () => {
  const { reader, events } = await record((r) => r.readAsArrayBuffer(new Blob([])));
  assertEqual(events, ['loadstart:0/0:1', 'load:0/0:2', 'loadend:0/0:2']);
  assertEqual(reader.result.byteLength, 0);
});

test('events are ProgressEvents: trusted, not bubbling, not cancelable; on* handlers see them', async () => {
  const r = new FileReader();
  const seen = [];
  for (const type of TYPES) r[`on${type}`] = (e) => seen.push([e.type, e instanceof ProgressEvent, e.isTrusted, e.bubbles, e.cancelable, e.lengthComputable, e.target === r]);
  r.readAsBinaryString(new Blob(['ab']));
  await new Promise((resolve) => r.addEventListener('loadend', resolve));
  assertEqual(seen.map((s) => s[0]), ['loadstart', 'progress', 'load', 'loadend']);
  for (const s of seen) assertEqual(s.slice(1), [true, true, false, false, true, true], s[0]);
});

test('readAsBinaryString: one code unit per byte', async () => {
  const bytes = new Uint8Array(256);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  const { reader } = await record((r) => r.readAsBinaryString(new Blob([bytes])));
  assertEqual(reader.result.length, 256);
  for (let i = 0; i < 256; i++) if (reader.result.charCodeAt(i) !== i) throw new Error(`at ${i}`);
});

test('readAsDataURL: base64 with the Blob type, application/octet-stream without one', async () => {
  const read = async (blob) => (await record((r) => r.readAsDataURL(blob))).reader.result;
  assertEqual(await read(new Blob(['TEST'], { type: 'text/plain' })), 'data:text/plain;base64,VEVTVA==');
  assertEqual(await read(new Blob(['TEST'])), 'data:application/octet-stream;base64,VEVTVA==');
  assertEqual(await read(new Blob([])), 'data:application/octet-stream;base64,');
  assertEqual(await read(new Blob(['a'], { type: 'text/plain;charset=utf-8' })), 'data:text/plain;charset=utf-8;base64,YQ==');
  const big = new Uint8Array(100000).map((_, i) => i * 7);
  const url = await read(new Blob([big]));
  const back = atob(url.slice(url.indexOf(',') + 1));
  assertEqual(back.length, big.length);
  for (let i = 0; i < big.length; i += 997) assertEqual(back.charCodeAt(i), big[i], `byte ${i}`);
});

test('readAsText: UTF-8 by default, with errors replaced', async () => {
  const text = async (parts, type, label) => {
    const blob = new Blob(parts, type === undefined ? undefined : { type });
    return (await record((r) => (label === undefined ? r.readAsText(blob) : r.readAsText(blob, label)))).reader.result;
  };
  assertEqual(await text(['h\u00e9llo \u{1F600}']), 'h\u00e9llo \u{1F600}');
  assertEqual(await text([new Uint8Array([0x61, 0xFF, 0x62])]), 'a\uFFFDb');
  assertEqual(await text([]), '');
});

test('readAsText: the label, then the Blob type\'s charset, then UTF-8; a BOM overrides them', async () => {
  const text = async (bytes, type, label) => {
    const blob = new Blob([new Uint8Array(bytes)], type === undefined ? undefined : { type });
    return (await record((r) => (label === undefined ? r.readAsText(blob) : r.readAsText(blob, label)))).reader.result;
  };
  const e9 = [0xE9, 0x41];
  assertEqual(await text(e9, undefined, 'windows-1252'), '\u00e9A', 'label');
  assertEqual(await text(e9, undefined, ' Latin1 '), '\u00e9A', 'labels are trimmed and case-insensitive');
  assertEqual(await text(e9, 'text/plain;charset=iso-8859-1'), '\u00e9A', 'the type\'s charset');
  assertEqual(await text(e9, 'text/plain;charset=iso-8859-7', 'windows-1252'), '\u00e9A', 'the label wins');
  assertEqual(await text(e9, undefined, 'no-such-encoding'), '\uFFFDA', 'an unknown label: UTF-8');
  assertEqual(await text(e9, 'text/plain;charset=bogus'), '\uFFFDA', 'an unknown charset: UTF-8');
  assertEqual(await text([0xFE, 0xFF, 0x00, 0x68, 0x00, 0x69], undefined, 'windows-1252'), 'hi', 'UTF-16BE BOM');
  assertEqual(await text([0xFF, 0xFE, 0x68, 0x00, 0x69, 0x00], 'text/plain;charset=utf-8'), 'hi', 'UTF-16LE BOM');
  assertEqual(await text([0xEF, 0xBB, 0xBF, 0xC3, 0xA9], undefined, 'utf-16le'), '\u00e9', 'UTF-8 BOM');
  assertEqual(await text([0x68, 0x00, 0x69, 0x00], undefined, 'utf-16'), 'hi', 'utf-16 is UTF-16LE');
  assertEqual(await text([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF]), '\uFEFF', 'only one BOM goes');
  assertEqual(await text([0x61], undefined, 'iso-2022-kr'), '\uFFFD', 'the replacement encoding');
  assertEqual(await text([], undefined, 'iso-2022-kr'), '', 'the replacement encoding, no bytes');
  assertEqual(await text([0x82, 0xa0], undefined, 'shift_jis'), '\u3042', 'a multi-byte encoding');
});

test('a second read while loading is an InvalidStateError; after DONE a new read may start', async () => {
  const r = new FileReader();
  r.readAsText(new Blob(['one']));
  for (const start of [() => r.readAsText(new Blob(['x'])), () => r.readAsArrayBuffer(new Blob([])),
    () => r.readAsDataURL(new Blob([])), () => r.readAsBinaryString(new Blob([]))]) {
    const e = assertThrows(start, DOMException);
    assertEqual([e.name, e.code], ['InvalidStateError', 11]);
  }
  await new Promise((resolve) => { r.onloadend = resolve; });
  assertEqual(r.result, 'one');
  r.readAsText(new Blob(['two']));
  assertEqual(r.result, null, 'a new read clears the result');
  await new Promise((resolve) => { r.onloadend = resolve; });
  assertEqual(r.result, 'two');
});

test('the argument must be a Blob', () => {
  const r = new FileReader();
  for (const method of ['readAsArrayBuffer', 'readAsBinaryString', 'readAsText', 'readAsDataURL']) {
    assertThrows(() => r[method](), TypeError, method);
    assertThrows(() => r[method]('text'), TypeError, method);
    assertThrows(() => r[method]({ size: 0, type: '' }), TypeError, method);
  }
  assertEqual(r.readyState, FileReader.EMPTY, 'nothing started');
});

test('abort while loading: abort and loadend at once, DONE, and the read\'s tasks never run', async () => {
  const { reader, events } = await record((r) => {
    r.readAsText(new Blob(['never']));
    r.abort();
  });
  assertEqual(events, ['abort:0/0:2', 'loadend:0/0:2']);
  assertEqual([reader.readyState, reader.result, reader.error], [FileReader.DONE, null, null]);
  let late = false;
  reader.onload = reader.onloadstart = reader.onprogress = () => { late = true; };
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert(!late, 'no event of the aborted read');
});

test('abort from loadstart or progress stops the read there', async () => {
  for (const at of ['loadstart', 'progress']) {
    const r = new FileReader();
    const seen = [];
    for (const type of TYPES) r.addEventListener(type, () => seen.push(type));
    r.addEventListener(at, () => r.abort());
    r.readAsArrayBuffer(new Blob(['data']));
    await new Promise((resolve) => r.addEventListener('loadend', resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assertEqual(seen, at === 'loadstart' ? ['loadstart', 'abort', 'loadend'] : ['loadstart', 'progress', 'abort', 'loadend'], at);
    assertEqual(r.result, null, at);
  }
});

test('abort when EMPTY or DONE only clears the result, with no event', async () => {
  const r = new FileReader();
  let events = 0;
  for (const type of TYPES) r.addEventListener(type, () => events++);
  r.abort();
  assertEqual([r.readyState, events], [FileReader.EMPTY, 0]);
  r.readAsText(new Blob(['done']));
  await new Promise((resolve) => r.addEventListener('loadend', resolve));
  const before = events;
  r.abort();
  assertEqual([r.readyState, r.result, events], [FileReader.DONE, null, before]);
});

test('a read started from a load handler: the first read\'s loadend is not fired', async () => {
  const r = new FileReader();
  const seen = [];
  for (const type of TYPES) r.addEventListener(type, () => seen.push(`${type}:${r.result}`));
  r.addEventListener('load', () => {
    if (r.result === 'first') r.readAsText(new Blob(['second']));
  });
  r.readAsText(new Blob(['first']));
  await new Promise((resolve) => r.addEventListener('loadend', resolve));
  assertEqual(seen, ['loadstart:null', 'progress:null', 'load:first', 'loadstart:null', 'progress:null',
    'load:second', 'loadend:second']);
});

test('a read in progress keeps the reader\'s events coming with nothing else scheduled', async () => {
  // The read is pending work of its own: nothing else holds this promise up.
  const r = new FileReader();
  r.readAsDataURL(new File(['f'], 'f.txt', { type: 'text/plain' }));
  await new Promise((resolve) => { r.onload = resolve; });
  assertEqual(r.result, 'data:text/plain;base64,Zg==');
});

test('ProgressEvent: constructor and init dictionary', () => {
  const e = new ProgressEvent('progress', { lengthComputable: true, loaded: 5, total: 10, bubbles: true });
  assertEqual([e.type, e.lengthComputable, e.loaded, e.total, e.bubbles, e.isTrusted], ['progress', true, 5, 10, true, false]);
  const d = new ProgressEvent('x');
  assertEqual([d.lengthComputable, d.loaded, d.total], [false, 0, 0]);
  assertEqual(new ProgressEvent('x', { loaded: -1 }).loaded, 18446744073709551615);
  assert(e instanceof Event);
  assertThrows(() => new ProgressEvent(), TypeError);
  assertEqual(Object.prototype.toString.call(e), '[object ProgressEvent]');
});
