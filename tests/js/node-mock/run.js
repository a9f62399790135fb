#!/usr/bin/env node
// Runs one eddy JS test file under Node with a mock `native`, approximating eddy:
//
//   node tests/js/node-mock/run.js [--base URL] [--server] FILE [args...]
//
// A fresh vm context gets only what eddy provides before src/js runs (timers, queueMicrotask,
// performance, console), then src/js/*.js in eddy's order, each called with (native, internal),
// then tests/js/harness.js and FILE. `eddy.args` holds args; with --server, a local Node test
// server (server.js) is started and its base URL is prepended to the args.
'use strict';

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { createNative } = require('./native');

const ROOT = path.resolve(__dirname, '..', '..', '..');
// Evaluation order: EDDY_JS_SOURCES in CMakeLists.txt, as eddy embeds them.
function jsFiles() {
  try {
    const cmake = fs.readFileSync(path.join(ROOT, 'CMakeLists.txt'), 'utf8');
    const m = /set\(EDDY_JS_SOURCES([^)]*)\)/.exec(cmake);
    if (m) return m[1].trim().split(/\s+/).map((f) => f.replace(/\.js$/, ''));
  } catch {
    // fall through
  }
  return ['internal', 'events', 'abort', 'encoding', 'url', 'headers', 'fetch'];
}
const JS_FILES = jsFiles();

function parseArgs(argv) {
  const o = { baseURL: undefined, server: false, file: null, args: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    if (argv[i] === '--base') o.baseURL = argv[++i];
    else if (argv[i] === '--server') o.server = true;
    else break;
  }
  o.file = argv[i];
  o.args = argv.slice(i + 1);
  if (!o.file) {
    console.error('usage: run.js [--base URL] [--server] FILE [args...]');
    process.exit(2);
  }
  return o;
}

// Timer callbacks that throw are reported like eddy does: native.reportError → `error` event.
function wrapTimers(report) {
  const wrap = (fn, args) => () => {
    try {
      fn(...args);
    } catch (e) {
      report(e);
    }
  };
  return {
    setTimeout: (fn, ms, ...args) => setTimeout(wrap(fn, args), ms),
    setInterval: (fn, ms, ...args) => setInterval(wrap(fn, args), ms),
    clearTimeout: (t) => clearTimeout(t),
    clearInterval: (t) => clearInterval(t),
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let server = null;
  if (opts.server) {
    // The server and its sockets are unref'd: the process ends when the tests do.
    server = await require('./server').start();
    opts.args.unshift(server.url);
  }

  const internal = {};
  const sandbox = {};
  const hostErrors = [];
  const onHostError = (kind, error) => {
    hostErrors.push({ kind, error });
    // Mock-only tests that provoke host errors on purpose set __mock.tolerateHostErrors.
    if (sandbox.__mock && sandbox.__mock.tolerateHostErrors) return;
    const text = error && error.stack ? `${error.name}: ${error.message}\n${error.stack}` : String(error);
    process.stderr.write(`${kind === 2 ? 'Unhandled rejection' : 'Uncaught'}: ${text}\n`);
    process.exitCode = 1;
  };


  const ctx = vm.createContext(sandbox, { name: 'eddy' });
  const native = createNative(ctx, { baseURL: opts.baseURL, internal, onHostError });
  const timers = wrapTimers((e) => native.reportError(e));
  Object.assign(sandbox, timers, {
    queueMicrotask: (fn) => queueMicrotask(fn),
    performance: { now: () => performance.now(), timeOrigin: performance.timeOrigin },
    console,
  });

  for (const name of JS_FILES) {
    const file = path.join(ROOT, 'src', 'js', `${name}.js`);
    const fn = vm.runInContext(fs.readFileSync(file, 'utf8'), ctx, { filename: `eddy:${name}.js` });
    fn(native, internal);
  }

  vm.runInContext('globalThis.eddy = { args: [], version: "0.1.0" };', ctx);
  for (const a of opts.args) ctx.eddy.args.push(a);
  // Mock-only hooks for tests under tests/js/node-mock/.
  sandbox.__mock = {
    requests: native.__stats.requests,
    openTransfers: native.__openTransfers,
    hostErrors,
    tolerateHostErrors: false,
  };

  process.on('unhandledRejection', (reason, promise) => {
    if (!internal.dispatchError(2, reason, promise)) onHostError(2, reason);
  });

  for (const file of [path.join(ROOT, 'tests', 'js', 'harness.js'), path.resolve(opts.file)]) {
    try {
      vm.runInContext(fs.readFileSync(file, 'utf8'), ctx, { filename: file });
    } catch (e) {
      native.reportError(e);
    }
  }

}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
