import './b.mjs';
globalThis.cycleOrder.push('a');
