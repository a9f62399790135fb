// import() is allowed in classic scripts: this stays classic.
var classicVar = 'classic';
import('./dep.mjs').then((ns) => console.log(`${ns.x} ${globalThis.classicVar}`));
