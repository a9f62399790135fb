import './left.mjs';
import './right.mjs';
globalThis.diamondOrder.push('main');
