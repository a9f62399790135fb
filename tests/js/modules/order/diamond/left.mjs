import './bottom.mjs';
globalThis.diamondOrder.push('left');
