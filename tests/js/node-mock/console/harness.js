'use strict';
// Loads src/js/console.js the way libeddy does (a function expression called with `native`
// and `internal`) inside a fresh vm context, with a `native.print` that records its calls;
// src/js/console_inspect.js, which libeddy installs on first use, is loaded first.
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const SOURCE = path.join(__dirname, '../../../../src/js/console.js');
const INSPECT = path.join(__dirname, '../../../../src/js/console_inspect.js');

function load() {
  const records = [];
  const context = vm.createContext({ performance });
  const global = vm.runInContext('globalThis', context);
  const internal = {
    require() {}, // console_inspect.js is loaded below
    defineGlobal(name, value) {
      Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
    },
  };
  const native = {
    print(level, text) { records.push([level, text]); },
    // console_inspect.js installs console_error.js itself, on the first Error shown.
    installFile(file) {
      const fn = vm.runInContext(fs.readFileSync(path.join(path.dirname(INSPECT), file), 'utf8'),
        context, { filename: `eddy:${file}` });
      fn(native, internal);
    },
  };
  const inspect = vm.runInContext(fs.readFileSync(INSPECT, 'utf8'), context,
    { filename: 'eddy:console_inspect.js' });
  inspect(native, internal);
  const fn = vm.runInContext(fs.readFileSync(SOURCE, 'utf8'), context, { filename: 'eddy:console.js' });
  fn(native, internal);
  return {
    context,
    global,
    internal,
    records,
    // Evaluate `code` in the context and return the print records it produced.
    run(code) {
      records.length = 0;
      vm.runInContext(code, context, { filename: 'test.js' });
      return records.splice(0);
    },
    eval(code) { return vm.runInContext(code, context, { filename: 'test.js' }); },
  };
}

module.exports = { load };
