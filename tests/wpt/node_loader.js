// Node and Bun: run each file named on the command line as a classic script of the one global
// (vm.runInThisContext), as a worker's importScripts would; argv[2] is run.py's configuration.
'use strict';
const fs = require('fs');
const vm = require('vm');
globalThis.__wptConfig = process.argv[2];
for (const file of process.argv.slice(3)) {
  try {
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
  } catch (e) {
    if (globalThis.__wptHarness) globalThis.__wptHarness.harnessError('Uncaught ' + e + ' in ' + file, e);
    else throw e;
  }
}
