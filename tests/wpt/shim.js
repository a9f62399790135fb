// Loaded before the harness by run.py in every engine: the worker-like globals WPT's .any.js
// files expect of their scope (self, GLOBAL, location), uncaught errors as harness errors, and
// the reporter, one line per subtest result on standard output, which run.py parses.
(function (global) {
  'use strict';
  const config = JSON.parse(global.__wptConfig ||
    (typeof eddy !== 'undefined' ? eddy.args[eddy.args.length - 1] : '{}'));
  const print = (line) => console.log(line);

  if (typeof global.self === 'undefined') global.self = global;
  global.GLOBAL = {
    isWindow: () => false,
    isWorker: () => false,
    isShadowRealm: () => false,
  };
  if (typeof global.location === 'undefined' && config.url) {
    const url = new URL(config.url);
    global.location = {
      href: url.href, origin: url.origin, protocol: url.protocol, host: url.host,
      hostname: url.hostname, port: url.port, pathname: url.pathname, search: url.search,
      hash: url.hash, toString() { return url.href; },
    };
  }

  // Node and Bun have no base URL for fetch(): resolve relative URLs against location as a
  // worker would (eddy gets --base-url instead).
  if (config.wrapFetch && typeof global.fetch === 'function') {
    const fetch = global.fetch;
    global.fetch = function (input, init) {
      if (typeof input === 'string' || input instanceof URL) input = new URL(String(input), config.url).href;
      return fetch.call(this, input, init);
    };
  }

  const uncaught = (error) => global.__wptHarness && global.__wptHarness.uncaught(error);
  if (typeof process !== 'undefined' && typeof process.on === 'function') {
    process.on('uncaughtException', uncaught);
    process.on('unhandledRejection', uncaught);
  } else if (typeof global.addEventListener === 'function') {
    global.addEventListener('error', (e) => { e.preventDefault(); uncaught(e.error); });
    global.addEventListener('unhandledrejection', (e) => { e.preventDefault(); uncaught(e.reason); });
  }

  const statuses = ['PASS', 'FAIL', 'TIMEOUT', 'NOTRUN', 'PRECONDITION_FAILED'];
  const harnessStatuses = ['OK', 'ERROR', 'TIMEOUT', 'PRECONDITION_FAILED'];
  global.__wptReport = function () {
    add_result_callback((test) => {
      print('##WPT ' + JSON.stringify({ name: String(test.name), status: statuses[test.status] || String(test.status),
        message: test.message == null ? null : String(test.message) }));
    });
    add_completion_callback((tests, status) => {
      print('##WPT-DONE ' + JSON.stringify({ status: harnessStatuses[status.status] || String(status.status),
        message: status.message == null ? null : String(status.message) }));
      const exit = typeof eddy !== 'undefined' && eddy.exit ? eddy.exit
        : typeof process !== 'undefined' && process.exit ? process.exit.bind(process) : null;
      // Let the line reach the pipe, then stop timers the tests left running.
      if (exit) setTimeout(() => exit(0), 0);
    });
    // After every script of the file has run (one task later, as a page's load would).
    setTimeout(() => {
      if (global.__wptHarness) global.__wptHarness.loaded(config.timeout || 10000);
    }, 0);
  };
})(globalThis);
