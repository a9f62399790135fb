// Headers.
'use strict';

test('constructor forms', () => {
  assertEqual([...new Headers()], []);
  assertEqual([...new Headers({ 'X-A': '1', b: '2' })], [['b', '2'], ['x-a', '1']]);
  assertEqual([...new Headers([['a', '1'], ['A', '2']])], [['a', '1, 2']]);
  const src = new Headers({ c: '3' });
  const copy = new Headers(src);
  copy.append('d', '4');
  assertEqual([...src], [['c', '3']], 'the copy is independent');
  assertEqual([...copy], [['c', '3'], ['d', '4']]);
  assertEqual([...new Headers(new Map([['m', 'v']]))], [['m', 'v']]);
  assertThrows(() => new Headers(null), TypeError); // HeadersInit is not nullable
  assertThrows(() => new Headers([['a']]), TypeError);
  assertThrows(() => new Headers([['a', 'b', 'c']]), TypeError);
  assertThrows(() => new Headers(['ab']), TypeError);
  assertThrows(() => new Headers('a: b'), TypeError);
  assertEqual(Object.prototype.toString.call(new Headers()), '[object Headers]');
});

test('names are case-insensitive and validated', () => {
  const h = new Headers();
  h.append('Content-Type', 'text/plain');
  assertEqual(h.get('content-type'), 'text/plain');
  assertEqual(h.get('CONTENT-TYPE'), 'text/plain');
  assertEqual(h.has('Content-type'), true);
  for (const bad of ['', 'a b', 'a:b', 'é', 'a\nb', '(x)', '@']) {
    assertThrows(() => h.append(bad, 'v'), TypeError, JSON.stringify(bad));
    assertThrows(() => h.get(bad), TypeError, JSON.stringify(bad));
  }
  h.append("!#$%&'*+-.^_`|~09azAZ", 'ok');
  assertEqual(h.get("!#$%&'*+-.^_`|~09azaz"), 'ok');
});

test('values are normalised and validated', () => {
  const h = new Headers();
  h.append('a', '  padded\t ');
  assertEqual(h.get('a'), 'padded');
  h.set('b', '\r\n x \r\n');
  assertEqual(h.get('b'), 'x');
  h.append('c', 'inner  space\tkept');
  assertEqual(h.get('c'), 'inner  space\tkept');
  h.append('d', '');
  assertEqual(h.get('d'), '');
  h.append('e', 'latin1 \u00ff');
  assertEqual(h.get('e'), 'latin1 \u00ff');
  for (const bad of ['a\nb', 'a\rb', 'a\0b', '\u0100', '€']) {
    assertThrows(() => h.append('x', bad), TypeError, JSON.stringify(bad));
    assertThrows(() => h.set('x', bad), TypeError, JSON.stringify(bad));
  }
  assertThrows(() => new Headers({ x: 'a\nb' }), TypeError);
  h.append('n', 42);
  assertEqual(h.get('n'), '42');
});

test('get combines values; set replaces; delete removes all', () => {
  const h = new Headers();
  h.append('Accept', 'a');
  h.append('accept', 'b');
  h.append('other', 'o');
  assertEqual(h.get('accept'), 'a, b');
  assertEqual(h.get('missing'), null);
  h.set('ACCEPT', 'c');
  assertEqual(h.get('accept'), 'c');
  assertEqual([...h], [['accept', 'c'], ['other', 'o']]);
  h.set('new', 'n');
  assertEqual(h.get('new'), 'n');
  h.delete('Accept');
  assertEqual(h.has('accept'), false);
  h.delete('not-there');
  assertEqual([...h.keys()], ['new', 'other']);
  assertThrows(() => h.append('x'), TypeError);
  assertThrows(() => h.set('x'), TypeError);
});

test('set-cookie stays separate', () => {
  const h = new Headers();
  h.append('Set-Cookie', 'a=1');
  h.append('set-cookie', 'b=2');
  h.append('X', 'x');
  assertEqual(h.get('set-cookie'), 'a=1, b=2');
  assertEqual(h.getSetCookie(), ['a=1', 'b=2']);
  assertEqual([...h], [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x', 'x']]);
  assertEqual(new Headers().getSetCookie(), []);
});

test('iteration is sorted, combined and lowercase', () => {
  const h = new Headers([['B', '1'], ['a', '2'], ['C', '3'], ['b', '4']]);
  assertEqual([...h], [['a', '2'], ['b', '1, 4'], ['c', '3']]);
  assertEqual([...h.entries()], [['a', '2'], ['b', '1, 4'], ['c', '3']]);
  assertEqual([...h.keys()], ['a', 'b', 'c']);
  assertEqual([...h.values()], ['2', '1, 4', '3']);
  const seen = [];
  h.forEach(function (value, name, obj) {
    assert(obj === h);
    assert(this === seen);
    seen.push(`${name}=${value}`);
  }, seen);
  assertEqual(seen, ['a=2', 'b=1, 4', 'c=3']);
  assert(Headers.prototype[Symbol.iterator] === Headers.prototype.entries);
  const it = h.keys();
  assertEqual(Object.prototype.toString.call(it), '[object Headers Iterator]');
  assertThrows(() => h.forEach(5), TypeError);
});

test('iteration sees changes made while iterating', () => {
  const h = new Headers({ a: '1', b: '2', c: '3' });
  const it = h.keys();
  assertEqual(it.next().value, 'a');
  h.delete('a');
  // Now the list is [b, c]; index 1 is c.
  assertEqual(it.next().value, 'c');
  h.append('d', '4');
  assertEqual(it.next().value, 'd');
  assertEqual(it.next().done, true);
});

test('immutable headers', async () => {
  const h = Response.error().headers;
  assertThrows(() => h.append('a', 'b'), TypeError);
  assertThrows(() => h.set('a', 'b'), TypeError);
  assertThrows(() => h.delete('a'), TypeError);
  const res = await fetch('data:,x');
  assertThrows(() => res.headers.set('x', 'y'), TypeError);
  assertEqual(res.headers.get('content-type'), 'text/plain;charset=US-ASCII');
  // Request and constructed Response headers are mutable.
  const req = new Request('http://example.com/');
  req.headers.set('x', 'y');
  assertEqual(req.headers.get('x'), 'y');
  const r = new Response('');
  r.headers.set('x', 'y');
  assertEqual(r.headers.get('x'), 'y');
});

test('forbidden header names are not filtered (server-side runtime)', () => {
  const req = new Request('http://example.com/', { headers: { Cookie: 'c=1', Host: 'h', 'Content-Length': '0' } });
  assertEqual(req.headers.get('cookie'), 'c=1');
  assertEqual(req.headers.get('host'), 'h');
  const res = new Response('', { headers: { 'Set-Cookie': 's=1' } });
  assertEqual(res.headers.getSetCookie(), ['s=1']);
});

test('record init uses own enumerable keys only', () => {
  const proto = { inherited: 'no' };
  const o = Object.create(proto);
  o.own = 'yes';
  Object.defineProperty(o, 'hidden', { value: 'no', enumerable: false });
  assertEqual([...new Headers(o)], [['own', 'yes']]);
});

test('new Headers(headers) follows a script\'s own @@iterator or next(), as a sequence', () => {
  const source = new Headers({ a: '1' });
  source[Symbol.iterator] = function* () { yield ['test', 'test']; };
  const copy = new Headers(source);
  assertEqual(copy.get('test'), 'test');
  assertEqual(copy.get('a'), null);

  const proto = Object.getPrototypeOf(new Headers().entries());
  const next = proto.next;
  let calls = 0;
  const source2 = new Headers([['b', '2'], ['a', '1']]);
  let copy2;
  proto.next = function () { calls++; return next.call(this); };
  try {
    copy2 = new Headers(source2);
  } finally {
    proto.next = next;
  }
  assertEqual(calls, 3, 'the patched next() ran for each pair and the end');
  assertEqual([...copy2], [['a', '1'], ['b', '2']]);
  // The ordinary case copies the list, combined and sorted as iteration would give it.
  assertEqual([...new Headers(new Headers([['b', '2'], ['a', '1'], ['b', '3']]))], [['a', '1'], ['b', '2, 3']]);
});
