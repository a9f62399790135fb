import './bottom.mjs';
globalThis.diamondOrder.push('right');
