// URL and URLSearchParams.
'use strict';

const parts = (u) => [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash];

test('URL components', () => {
  const u = new URL('https://user:pw@example.com:8080/p/a/t/h?query=string#frag');
  assertEqual(u.href, 'https://user:pw@example.com:8080/p/a/t/h?query=string#frag');
  assertEqual(parts(u), ['https:', 'user', 'pw', 'example.com:8080', 'example.com', '8080',
    '/p/a/t/h', '?query=string', '#frag']);
  assertEqual(u.origin, 'https://example.com:8080');
  assertEqual(String(u), u.href);
  assertEqual(u.toString(), u.href);
  assertEqual(u.toJSON(), u.href);
  assertEqual(JSON.stringify({ u }), `{"u":"${u.href}"}`);
  assertEqual(Object.prototype.toString.call(u), '[object URL]');
});

test('URL normalisation', () => {
  assertEqual(new URL('http://example.com').href, 'http://example.com/');
  assertEqual(new URL('http://example.com:80/').href, 'http://example.com/');
  assertEqual(new URL('https://example.com:443/x').port, '');
  assertEqual(new URL('http://example.com/a/./b/../c').pathname, '/a/c');
  assertEqual(new URL('HTTP://EXAMPLE.COM/A').href, 'http://example.com/A');
  assertEqual(new URL('  http://example.com/x  ').href, 'http://example.com/x');
  assertEqual(new URL('http://example.com/a b').pathname, '/a%20b');
});

test('URL with a base', () => {
  const base = 'http://example.com/dir/file?q#h';
  assertEqual(new URL('other', base).href, 'http://example.com/dir/other');
  assertEqual(new URL('/root', base).href, 'http://example.com/root');
  assertEqual(new URL('../up', base).href, 'http://example.com/up');
  assertEqual(new URL('?x=1', base).href, 'http://example.com/dir/file?x=1');
  assertEqual(new URL('#y', base).href, 'http://example.com/dir/file?q#y');
  assertEqual(new URL('//other.org/p', base).href, 'http://other.org/p');
  assertEqual(new URL('https://abs.org/', base).href, 'https://abs.org/');
  assertEqual(new URL('x', new URL(base)).href, 'http://example.com/dir/x');
});

test('invalid URLs throw TypeError', () => {
  assertThrows(() => new URL('not a url'), TypeError);
  assertThrows(() => new URL('/relative'), TypeError);
  assertThrows(() => new URL('x', 'also not a url'), TypeError);
  assertThrows(() => new URL(), TypeError);
  assertThrows(() => new URL('http://exa mple.com/'), TypeError);
});

test('URL.canParse and URL.parse', () => {
  assertEqual(URL.canParse('http://x.org/'), true);
  assertEqual(URL.canParse('nope'), false);
  assertEqual(URL.canParse('p', 'http://x.org/'), true);
  assertEqual(URL.parse('nope'), null);
  const u = URL.parse('/p', 'http://x.org/');
  assert(u instanceof URL);
  assertEqual(u.href, 'http://x.org/p');
});

test('URLs with opaque paths', () => {
  const d = new URL('data:text/plain,hello world');
  assertEqual(d.protocol, 'data:');
  assertEqual(d.pathname, 'text/plain,hello world');
  assertEqual(d.host, '');
  assertEqual(d.origin, 'null');
  const m = new URL('mailto:someone@example.com?subject=hi#x');
  assertEqual(parts(m), ['mailto:', '', '', '', '', '', 'someone@example.com', '?subject=hi', '#x']);
  assertEqual(new URL('about:blank').href, 'about:blank');
  assertEqual(new URL('javascript:void(0)').pathname, 'void(0)');
  assertEqual(new URL('#frag', 'about:blank').href, 'about:blank#frag');
  assertThrows(() => new URL('relative', 'about:blank'), TypeError);
  assertEqual(new URL('blob:https://example.com/uuid').origin, 'https://example.com');
});

test('URL setters: search and hash', () => {
  const u = new URL('http://example.com/p?a=1#h');
  u.search = 'b=2';
  assertEqual(u.href, 'http://example.com/p?b=2#h');
  u.search = '?c=3';
  assertEqual(u.search, '?c=3');
  u.search = 'has#hash';
  assertEqual(u.search, '?has%23hash');
  assertEqual(u.hash, '#h');
  u.search = '';
  assertEqual(u.href, 'http://example.com/p#h');
  u.hash = 'new';
  assertEqual(u.href, 'http://example.com/p#new');
  u.hash = '#other';
  assertEqual(u.hash, '#other');
  u.hash = '';
  assertEqual(u.href, 'http://example.com/p');
});

test('URL setters: pathname, port, host, hostname, protocol, credentials', () => {
  const u = new URL('http://example.com/p?q=1#h');
  u.pathname = '/a/b';
  assertEqual(u.href, 'http://example.com/a/b?q=1#h');
  u.pathname = 'no-slash';
  assertEqual(u.pathname, '/no-slash');
  u.pathname = '/what?#';
  assertEqual(u.pathname, '/what%3F%23');
  assertEqual(u.search, '?q=1');
  u.pathname = '/';

  u.port = '8080';
  assertEqual(u.host, 'example.com:8080');
  u.port = '80';
  assertEqual(u.port, '');
  u.port = '99999';
  assertEqual(u.port, '', 'out of range is ignored');
  u.port = '81abc';
  assertEqual(u.port, '81');
  u.port = '';
  assertEqual(u.port, '');

  u.hostname = 'other.org';
  assertEqual(u.href, 'http://other.org/?q=1#h');
  u.host = 'third.net:9000';
  assertEqual([u.hostname, u.port], ['third.net', '9000']);
  u.host = 'fourth.net';
  assertEqual(u.host, 'fourth.net:9000', 'host without port keeps the port');

  u.protocol = 'https';
  assertEqual(u.protocol, 'https:');
  u.protocol = 'mailto';
  assertEqual(u.protocol, 'https:', 'special to non-special is refused');

  u.username = 'me';
  u.password = 'secret';
  assertEqual(u.href, 'https://me:secret@fourth.net:9000/?q=1#h');
  u.username = 'a@b';
  assertEqual(u.username, 'a%40b');
  u.username = '';
  u.password = '';
  assertEqual(u.href, 'https://fourth.net:9000/?q=1#h');

  u.href = 'http://reset.org/';
  assertEqual(u.host, 'reset.org');
  assertThrows(() => { u.href = 'bad'; }, TypeError);
  assertEqual(u.href, 'http://reset.org/');
});

test('URL.searchParams is live in both directions', () => {
  const u = new URL('http://example.com/?a=1&b=2#h');
  const sp = u.searchParams;
  assert(u.searchParams === sp, 'same object');
  assertEqual(sp.get('a'), '1');
  sp.append('c', 'x y');
  assertEqual(u.href, 'http://example.com/?a=1&b=2&c=x+y#h');
  sp.delete('a');
  assertEqual(u.search, '?b=2&c=x+y');
  u.search = '?z=9';
  assertEqual(sp.get('z'), '9');
  assertEqual(sp.has('b'), false);
  u.href = 'http://example.com/?k=v';
  assertEqual([...sp], [['k', 'v']]);
  sp.delete('k');
  assertEqual(u.href, 'http://example.com/');
  u.hash = 'x';
  sp.set('n', '1');
  assertEqual(u.href, 'http://example.com/?n=1#x');
});

test('URLSearchParams construction', () => {
  assertEqual(new URLSearchParams().toString(), '');
  assertEqual(new URLSearchParams('?a=1&b=2').toString(), 'a=1&b=2');
  assertEqual(new URLSearchParams('a=1&&b').toString(), 'a=1&b=');
  assertEqual(new URLSearchParams({ x: '1', y: 2 }).toString(), 'x=1&y=2');
  assertEqual(new URLSearchParams([['a', '1'], ['a', '2']]).getAll('a'), ['1', '2']);
  const copy = new URLSearchParams(new URLSearchParams('q=1'));
  assertEqual(copy.get('q'), '1');
  const m = new Map([['m', 'v']]);
  assertEqual(new URLSearchParams(m).get('m'), 'v');
  assertThrows(() => new URLSearchParams([['a']]), TypeError);
  assertThrows(() => new URLSearchParams([['a', 'b', 'c']]), TypeError);
  assertThrows(() => new URLSearchParams(['ab']), TypeError);
  assertEqual(new URLSearchParams(null).toString(), 'null=');
});

test('URLSearchParams decoding', () => {
  const p = new URLSearchParams('a=b+c&d=%20e%26&%E2%82%AC=euro&bad=%zz&x=%');
  assertEqual(p.get('a'), 'b c');
  assertEqual(p.get('d'), ' e&');
  assertEqual(p.get('€'), 'euro');
  assertEqual(p.get('bad'), '%zz');
  assertEqual(p.get('x'), '%');
  assertEqual(new URLSearchParams('q=%FF').get('q'), '\uFFFD');
});

test('URLSearchParams encoding', () => {
  const p = new URLSearchParams();
  p.append('a b', 'c&d=e');
  p.append('sym', "*-._!~'()");
  p.append('uni', '€ 😀');
  p.append('plus', '+');
  assertEqual(p.toString(),
    "a+b=c%26d%3De&sym=*-._%21%7E%27%28%29&uni=%E2%82%AC+%F0%9F%98%80&plus=%2B");
  const lone = new URLSearchParams();
  lone.append('s', '\uD800');
  assertEqual(lone.toString(), 's=%EF%BF%BD');
});

test('URLSearchParams methods', () => {
  const p = new URLSearchParams('a=1&b=2&a=3');
  assertEqual(p.size, 3);
  assertEqual(p.get('a'), '1');
  assertEqual(p.get('missing'), null);
  assertEqual(p.getAll('a'), ['1', '3']);
  assertEqual(p.has('b'), true);
  assertEqual(p.has('a', '3'), true);
  assertEqual(p.has('a', '4'), false);
  p.set('a', 'x');
  assertEqual(p.toString(), 'a=x&b=2');
  p.append('c', '1');
  p.append('c', '2');
  p.delete('c', '1');
  assertEqual(p.getAll('c'), ['2']);
  p.delete('c');
  assertEqual(p.has('c'), false);
  p.set('new', 'v');
  assertEqual(p.toString(), 'a=x&b=2&new=v');
  assertThrows(() => p.append('only-one'), TypeError);
  assertThrows(() => p.get(), TypeError);
});

test('URLSearchParams.sort is stable by code units', () => {
  const p = new URLSearchParams('z=1&a=2&z=0&b=3&a=1&\uFB03=x&\uD83C\uDF08=y');
  p.sort();
  assertEqual([...p.keys()], ['a', 'a', 'b', 'z', 'z', '\uD83C\uDF08', '\uFB03']);
  assertEqual(p.getAll('a'), ['2', '1']);
  assertEqual(p.getAll('z'), ['1', '0']);
});

test('URLSearchParams iteration', () => {
  const p = new URLSearchParams('a=1&b=2');
  assertEqual([...p], [['a', '1'], ['b', '2']]);
  assertEqual([...p.entries()], [['a', '1'], ['b', '2']]);
  assertEqual([...p.keys()], ['a', 'b']);
  assertEqual([...p.values()], ['1', '2']);
  const seen = [];
  p.forEach(function (value, key, obj) {
    assert(obj === p);
    assert(this === seen);
    seen.push(key + value);
  }, seen);
  assertEqual(seen, ['a1', 'b2']);
  const it = p[Symbol.iterator]();
  assertEqual(Object.prototype.toString.call(it), '[object URLSearchParams Iterator]');
  assertEqual(it.next().value, ['a', '1']);
  p.append('c', '3');
  assertEqual(it.next().value, ['b', '2']);
  assertEqual(it.next().value, ['c', '3'], 'iteration is live');
  assertEqual(it.next().done, true);
  assert(URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries);
});

test('an invalid URL error quotes only the start of a huge input', () => {
  const input = 'x'.repeat(10 * 1024 * 1024);
  let err;
  try { new URL(input); } catch (e) { err = e; }
  assert(err instanceof TypeError);
  assert(err.message.length < 300, `message of ${err.message.length} characters`);
  assert(err.message.startsWith("Invalid URL: 'xxx"));
  assertEqual(err.input, input); // the whole input, as Node keeps it
  assertEqual(err.code, 'ERR_INVALID_URL');
  assert(!Object.keys(err).includes('input'), 'input is not enumerable');
  try { new URL('nope', 'also not a url'); } catch (e) { err = e; }
  assertEqual([err.input, err.base], ['nope', 'also not a url']);
  const u = new URL('http://x.org/');
  try { u.href = input; } catch (e) { err = e; }
  assert(err.message.length < 300);
  assertEqual(err.input.length, input.length);
});
