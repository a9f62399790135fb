// Web APIs are installed on first use (src/js/internal.js, lazyFiles): until then each global is
// an accessor; touching it compiles the API and leaves the Web IDL data property behind.
'use strict';

const descriptorKind = (name) => {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  return d === undefined ? 'absent' : 'get' in d ? 'accessor' : 'data';
};

test('an API is not compiled until a script touches it', () => {
  // The harness has used console; nothing in this file used Headers or TextEncoder yet.
  assertEqual(descriptorKind('Headers'), 'accessor');
  assertEqual(typeof Headers, 'function');
  assertEqual(descriptorKind('Headers'), 'data');
  const d = Object.getOwnPropertyDescriptor(globalThis, 'Headers');
  assertEqual([d.writable, d.enumerable, d.configurable], [true, false, true]);
  assertEqual(new Headers({ a: '1' }).get('a'), '1');
});

test('the globals of one file are installed together', () => {
  assertEqual(descriptorKind('TextDecoder'), 'accessor');
  assertEqual(new TextEncoder().encode('é').length, 2);
  assertEqual(descriptorKind('TextDecoder'), 'data');
});

test('a global deleted before use stays deleted when its file installs', () => {
  assertEqual(descriptorKind('Request'), 'accessor');
  assert(delete globalThis.Request);
  assertEqual(descriptorKind('Request'), 'absent');
  assertEqual(typeof fetch, 'function'); // installs fetch.js, which defines Request too
  assertEqual(descriptorKind('Request'), 'absent');
  assertEqual(descriptorKind('Response'), 'data');
});

test('assigning a global first replaces it without installing it', () => {
  assertEqual(descriptorKind('URLSearchParams'), 'data'); // fetch.js needed url.js
  assertEqual(descriptorKind('console'), 'data');
  const d = Object.getOwnPropertyDescriptor(globalThis, 'URL');
  assert(!('get' in d), 'URL installed with fetch');
});

test('globals are not enumerable, before or after use', () => {
  for (const name of ['fetch', 'Response', 'console', 'URL', 'TextEncoder', 'Headers']) {
    assertEqual(Object.keys(globalThis).includes(name), false, name);
  }
});

test('randomUUID and getRandomValues do not install SubtleCrypto; crypto.subtle does', () => {
  assertEqual(descriptorKind('SubtleCrypto'), 'accessor');
  assert(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
  assertEqual(crypto.getRandomValues(new Uint8Array(4)).length, 4);
  assertEqual(descriptorKind('SubtleCrypto'), 'accessor');
  assertEqual(descriptorKind('CryptoKey'), 'accessor');
  const subtle = crypto.subtle;
  assertEqual(descriptorKind('SubtleCrypto'), 'data');
  assertEqual(descriptorKind('CryptoKey'), 'data');
  assert(subtle instanceof SubtleCrypto);
  assertEqual(crypto.subtle, subtle); // [SameObject]
  assertThrows(() => Crypto.prototype.randomUUID.call({}), TypeError);
  assertThrows(() => Object.getOwnPropertyDescriptor(Crypto.prototype, 'subtle').get.call({}), TypeError);
});
