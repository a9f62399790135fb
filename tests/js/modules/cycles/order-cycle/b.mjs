import './a.mjs';
import './c.mjs';
globalThis.cycleOrder.push('b');
