// main -> (a, c); a <-> b; b awaits. c is outside the cycle and does not wait for it.
import './a.mjs';
import './c.mjs';
globalThis.tlaCycleLog.push('main');
