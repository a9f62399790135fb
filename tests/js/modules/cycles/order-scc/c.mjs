import './b.mjs';
globalThis.sccOrder.push('c');
