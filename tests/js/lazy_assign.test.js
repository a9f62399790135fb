// A global assigned before its API was installed keeps the script's value when the API's file
// installs later for another of its globals (src/js/internal.js, defineGlobal).
'use strict';

test('assigning a global first replaces it without installing it', () => {
  const kind = Object.getOwnPropertyDescriptor(globalThis, 'URLSearchParams');
  assert('get' in kind, 'not installed yet');
  const mine = function URLSearchParams() {};
  globalThis.URLSearchParams = mine;
  assert(URLSearchParams === mine);
  // url.js installs for URL; the assigned URLSearchParams stays.
  assertEqual(new URL('http://a.example/x?y=1').searchParams.get('y'), '1');
  assert(URLSearchParams === mine, 'installing url.js kept the assigned global');
  assertEqual(typeof fetch, 'function');
  assert(URLSearchParams === mine, 'installing fetch.js kept it too');
});
