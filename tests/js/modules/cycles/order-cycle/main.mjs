// main -> a -> b -> (a, c): b runs before a, c before b.
import './a.mjs';
globalThis.cycleOrder.push('main');
