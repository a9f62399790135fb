// A classic script: import() resolves against this file, not the working directory.
var isClassic = this === globalThis;
import('./dep.mjs')
  .then((ns) => console.log(`${ns.where} ${isClassic}`))
  .then(() => import('../top.mjs'))
  .then((ns) => console.log(ns.where))
  .then(() => import('./nope.js'))
  .catch((e) => console.log(e.message));
