import './a.mjs';
import './b.mjs';
globalThis.tlaOrder.push('main');
