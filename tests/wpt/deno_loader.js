// Deno: node_loader.js's job as an ES module (Deno runs CommonJS only from .cjs files): run each
// file named on the command line as a classic script of the one global, so top-level let/const
// and functions are shared as between a worker's importScripts; Deno.args[0] is run.py's
// configuration. run.py passes --location, which gives Deno its own location and a base URL
// for fetch().
import vm from 'node:vm';

globalThis.__wptConfig = Deno.args[0];
for (const file of Deno.args.slice(1)) {
  try {
    vm.runInThisContext(Deno.readTextFileSync(file), { filename: file });
  } catch (e) {
    if (globalThis.__wptHarness) globalThis.__wptHarness.harnessError('Uncaught ' + e + ' in ' + file, e);
    else throw e;
  }
}
