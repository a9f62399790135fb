// URLPattern (the WHATWG URL Pattern Standard): the standard's examples, groups, modifiers,
// base URLs, ignoreCase, errors, and a script's patches of the intrinsics it matches with.
'use strict';

const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
const patterns = (p) => COMPONENTS.map((c) => p[c]);

test('URLPattern is a global class with the standard\'s members', () => {
  assertEqual(typeof URLPattern, 'function');
  const d = Object.getOwnPropertyDescriptor(globalThis, 'URLPattern');
  assertEqual([d.writable, d.enumerable, d.configurable], [true, false, true]);
  for (const m of ['test', 'exec']) assertEqual(typeof URLPattern.prototype[m], 'function', m);
  for (const g of [...COMPONENTS, 'hasRegExpGroups']) {
    assertEqual(typeof Object.getOwnPropertyDescriptor(URLPattern.prototype, g).get, 'function', g);
  }
  assertEqual(Object.prototype.toString.call(new URLPattern()), '[object URLPattern]');
});

test('a router pattern: pathname groups, the other components wildcards', () => {
  const p = new URLPattern({ pathname: '/books/:id' });
  assertEqual(patterns(p), ['*', '*', '*', '*', '*', '/books/:id', '*', '*']);
  assert(p.test('https://example.com/books/123'));
  assert(!p.test('https://example.com/books/123/x'));
  assert(!p.test('https://example.com/books/'));
  const r = p.exec('https://example.com/books/123?x#y');
  assertEqual(r.pathname, { input: '/books/123', groups: { id: '123' } });
  assertEqual(r.protocol, { input: 'https', groups: { 0: 'https' } });
  assertEqual(r.search, { input: 'x', groups: { 0: 'x' } });
  assertEqual(r.inputs, ['https://example.com/books/123?x#y']);
  assertEqual(p.exec('https://example.com/authors/1'), null);
});

test('the constructor string: every component, wildcards and the default port', () => {
  // After a group, "?" is its modifier, not the start of the search ("\\?" is).
  const m = new URLPattern('https://*.example.com/books/:id?x=1#f');
  assertEqual(patterns(m), ['https', '*', '*', '*.example.com', '', '/books/:id?x=1', '', 'f']);
  assertEqual(m.exec('https://a.example.com/books/7x=1#f').pathname.groups, { id: '7' });
  const p = new URLPattern('https://*.example.com/books/:id\\?x=1#f');
  assertEqual(patterns(p), ['https', '*', '*', '*.example.com', '', '/books/:id', 'x=1', 'f']);
  assert(p.test('https://a.example.com/books/7?x=1#f'));
  assert(!p.test('https://a.example.com:8443/books/7?x=1#f'), 'a hostname without a port means the default port');
  assert(!p.test('https://example.com/books/7?x=1#f'));
  const q = new URLPattern('https://example.com/foo');
  assertEqual([q.search, q.hash], ['*', '*']);
  const any = new URLPattern('https://*:*');
  assert(any.test('https://x.test:8443/anything'));
  const creds = new URLPattern('https://:user::pass@example.com');
  assertEqual(creds.exec('https://u:p@example.com/').username.groups, { user: 'u' });
  assertEqual(creds.exec('https://u:p@example.com/').password.groups, { pass: 'p' });
});

test('the standard\'s pattern string examples', () => {
  const blog = new URLPattern({ pathname: '/blog/:title' });
  assert(blog.test({ pathname: '/blog/hello-world' }));
  assert(!blog.test({ pathname: '/blog/2012/02' }));
  const dated = new URLPattern({ pathname: '/blog/:year(\\d+)/:month(\\d+)' });
  assertEqual(dated.exec({ pathname: '/blog/2012/02' }).pathname.groups, { year: '2012', month: '02' });
  const products = new URLPattern({ pathname: '/products/:id?' });
  assert(products.test({ pathname: '/products' }));
  assert(products.test({ pathname: '/products/2' }));
  assert(!products.test({ pathname: '/products/' }));
  assert(new URLPattern({ pathname: '/products/{:id}?' }).test({ pathname: '/products/' }));
  assert(new URLPattern({ pathname: '/products/*' }).test({ pathname: '/products/a/b/c' }));
});

test('modifiers: ? * + on named groups, groups in braces and regexp groups', () => {
  const opt = new URLPattern({ pathname: '/foo/:bar?' });
  const g = opt.exec({ pathname: '/foo' }).pathname.groups;
  assert('bar' in g && g.bar === undefined, 'an unmatched optional group is undefined');
  const star = new URLPattern({ pathname: '/foo/:bar*' });
  assertEqual(star.exec({ pathname: '/foo/a/b' }).pathname.groups, { bar: 'a/b' });
  assert(star.test({ pathname: '/foo' }));
  const plus = new URLPattern({ pathname: '/foo/:bar+' });
  assert(!plus.test({ pathname: '/foo' }));
  assertEqual(plus.exec({ pathname: '/foo/a/b' }).pathname.groups, { bar: 'a/b' });
  const braces = new URLPattern({ pathname: '/foo{/bar}?' });
  assertEqual(braces.pathname, '/foo{/bar}?');
  assert(braces.test({ pathname: '/foo' }) && braces.test({ pathname: '/foo/bar' }));
  const anon = new URLPattern({ pathname: '/(\\d+)/(.*)' });
  assertEqual(anon.exec({ pathname: '/12/x/y' }).pathname.groups, { 0: '12', 1: 'x/y' });
  assertEqual(anon.pathname, '/(\\d+)/*');
  const host = new URLPattern({ hostname: '{:sub.}?example.com' });
  assertEqual(host.exec({ hostname: 'api.example.com' }).hostname.groups, { sub: 'api' });
  assertEqual(new URLPattern({ hostname: ':a.com' }).exec({ hostname: 'x.y.com' }), null,
    'a hostname group stops at a dot');
});

test('canonicalization through the URL parser', () => {
  assertEqual(new URLPattern({ pathname: '/café' }).pathname, '/caf%C3%A9');
  assertEqual(new URLPattern({ pathname: '/foo/../bar' }).pathname, '/bar');
  assertEqual(new URLPattern({ hostname: 'café.com' }).hostname, 'xn--caf-dma.com');
  assertEqual(new URLPattern({ username: 'café' }).username, 'caf%C3%A9');
  assertEqual(new URLPattern({ search: 'q=a b' }).search, 'q=a%20b');
  assertEqual(new URLPattern({ hash: 'a b' }).hash, 'a%20b');
  assertEqual(new URLPattern({ protocol: 'HTTPS' }).protocol, 'https');
  assertEqual(new URLPattern({ protocol: 'https', port: '443' }).port, '');
  assertEqual(new URLPattern({ port: '0080' }).port, '80');
  assertEqual(new URLPattern({ hostname: '[\\:\\:AB\\::num]' }).hostname, '[\\:\\:ab\\::num]');
  const js = new URLPattern({ protocol: 'javascript', pathname: 'var x = 1;' });
  assertEqual(js.pathname, 'var x = 1;', 'an opaque path keeps its spaces');
  assert(js.test('javascript:var x = 1;'));
  assert(new URLPattern({ pathname: '/foo/bar' }).test({ pathname: '/foo/./bar' }), 'inputs are canonicalized too');
});

test('base URLs, for the pattern and for the input', () => {
  const p = new URLPattern('/foo/:id', 'https://example.com/a?q#h');
  assertEqual(patterns(p), ['https', '*', '*', 'example.com', '', '/foo/:id', '*', '*']);
  assert(p.test('https://example.com/foo/1'));
  assert(p.test('/foo/2', 'https://example.com'));
  assertEqual(p.exec('/foo/2', 'https://example.com').inputs, ['/foo/2', 'https://example.com']);
  const rel = new URLPattern({ pathname: 'b', baseURL: 'https://example.com/foo/' });
  assertEqual(rel.pathname, '/foo/b');
  assertEqual(new URLPattern({ search: 'x', baseURL: 'https://example.com/a/+/b' }).pathname, '/a/\\+/b',
    'base URL text is escaped as a pattern');
  assert(new URLPattern({ pathname: '/x' }).test({ pathname: 'x', baseURL: 'https://example.com/' }));
  assert(!new URLPattern({ pathname: '*' }).test('foo', 'data:text/plain,cannot-be-a-base'));
  assertEqual(new URLPattern({ pathname: '*' }).exec('foo', 'not a url'), null);
});

test('ignoreCase', () => {
  const p = new URLPattern({ pathname: '/foo/:bar' }, { ignoreCase: true });
  assertEqual(p.exec({ pathname: '/FOO/Baz' }).pathname.groups, { bar: 'Baz' });
  assert(!new URLPattern({ pathname: '/foo' }).test({ pathname: '/FOO' }));
  const s = new URLPattern('/foo?bar', 'https://example.com', { ignoreCase: true });
  assert(s.test('https://example.com/FOO?BAR'));
  assert(new URLPattern({ ignoreCase: true }).test({ pathname: '/FOO' }), 'an options-only argument is an init');
});

test('hasRegExpGroups', () => {
  assertEqual(new URLPattern({}).hasRegExpGroups, false);
  assertEqual(new URLPattern({ pathname: '/a/:b/*' }).hasRegExpGroups, false);
  assertEqual(new URLPattern({ pathname: '/a/:b(\\d+)' }).hasRegExpGroups, true);
  assertEqual(new URLPattern({ hostname: '(a|b).com' }).hasRegExpGroups, true);
});

test('errors are TypeErrors', () => {
  const bad = [
    [{ pathname: '/:id/:id' }], [{ pathname: '/(' }], [{ pathname: '/(\\m)' }], [{ pathname: '/{a' }],
    [{ pathname: '/foo\\' }], [{ hostname: 'bad hostname' }], [{ hostname: '(café)' }], [{ port: '100000' }],
    [{ protocol: 'a b' }], ['/relative'], ['/foo', ''], [{ pathname: '/x' }, 'https://example.com'],
    [{ pathname: '/x', baseURL: 'not a url' }], ['/foo', { ignoreCase: true }, 'https://example.com'],
    [{ hostname: '[\\:\\:xy]' }],
  ];
  for (const args of bad) assertThrows(() => new URLPattern(...args), TypeError, JSON.stringify(args));
  const p = new URLPattern({ pathname: '/x' });
  assertThrows(() => p.test({ pathname: '/x' }, 'https://example.com'), TypeError);
  assertThrows(() => p.exec({ pathname: '/x' }, 'https://example.com'), TypeError);
  assertThrows(() => new URLPattern({}, 1), TypeError, 'options that are not an object');
  assertThrows(() => URLPattern.prototype.test.call({}, 'https://a/'), TypeError);
  assertThrows(() => URLPattern(), TypeError);
  assertEqual(p.exec({ port: 'x' }), null, 'an input that cannot be canonicalized matches nothing');
});

test('generated pattern strings round-trip', () => {
  const cases = [
    ['{:foo}bar', '{:foo}bar'], [':foo\\bar', '{:foo}bar'], ['/:foo\\bar', '{/:foo}bar'],
    ['*{}**?', '*(.*)?'], ['{:foo}{(.*)bar}', ':foo{*bar}'], ['(foo)?(.*)', '(foo)?*'], ['*\\/*', '*/{*}'],
  ];
  for (const [input, expected] of cases) {
    const p = new URLPattern({ pathname: input });
    assertEqual(p.pathname, expected, input);
    assertEqual(new URLPattern({ pathname: p.pathname }).pathname, expected, `${input} again`);
  }
});

test('a script\'s later patches of RegExp, String and Array methods change nothing', () => {
  const p = new URLPattern('https://:sub.example.com/books/:id(\\d+)');
  const saved = {
    exec: RegExp.prototype.exec, match: RegExp.prototype[Symbol.match], charCodeAt: String.prototype.charCodeAt,
    toLowerCase: String.prototype.toLowerCase, push: Array.prototype.push, join: Array.prototype.join,
  };
  const boom = () => { throw new Error('patched intrinsic called'); };
  try {
    RegExp.prototype.exec = boom;
    RegExp.prototype[Symbol.match] = boom;
    String.prototype.charCodeAt = boom;
    String.prototype.toLowerCase = boom;
    Array.prototype.push = boom;
    Array.prototype.join = boom;
    assertEqual(p.exec('https://api.example.com/books/42').pathname.groups.id, '42');
    assert(!p.test('https://api.example.com/books/x'));
    const q = new URLPattern({ pathname: '/:café/*', hostname: '[\\:\\:AB]' });
    assertEqual([q.pathname, q.hostname], ['/:café/*', '[\\:\\:ab]']);
  } finally {
    RegExp.prototype.exec = saved.exec;
    RegExp.prototype[Symbol.match] = saved.match;
    String.prototype.charCodeAt = saved.charCodeAt;
    String.prototype.toLowerCase = saved.toLowerCase;
    Array.prototype.push = saved.push;
    Array.prototype.join = saved.join;
  }
});
