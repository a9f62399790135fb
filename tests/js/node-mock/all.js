#!/usr/bin/env node
// Runs every tests/js/*.test.js and the mock-only tests in this directory under the Node mock,
// one process per file, and ends with "N passed, N failed" over all tests.
//
//   node tests/js/node-mock/all.js
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const here = __dirname;
const jsDir = path.resolve(here, '..');
const runs = [];
for (const f of fs.readdirSync(jsDir).sort()) {
  if (f.endsWith('.test.js')) runs.push([path.join(jsDir, f)]);
}
for (const f of fs.readdirSync(here).sort()) {
  if (f.endsWith('.test.js')) runs.push(f.startsWith('fetch') ? ['--server', path.join(here, f)] : [path.join(here, f)]);
}

let passed = 0;
let failed = 0;
for (const args of runs) {
  const file = path.relative(process.cwd(), args[args.length - 1]);
  const r = spawnSync(process.execPath, [path.join(here, 'run.js'), ...args], { encoding: 'utf8', timeout: 120000 });
  const out = r.stdout || '';
  const m = /^(\d+) passed, (\d+) failed$/m.exec(out);
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  } else {
    failed++;
  }
  const bad = r.status !== 0 || !m || Number(m[2]) > 0;
  process.stdout.write(`${bad ? 'FAIL' : 'ok  '} ${file}${m ? ` (${m[1]} passed, ${m[2]} failed)` : ''}\n`);
  if (bad) {
    process.stdout.write(out.split('\n').filter((l) => !l.startsWith('ok - ')).join('\n'));
    process.stdout.write(r.stderr || '');
    if (!m) process.stdout.write(`exit status ${r.status}\n`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
