import './z.mjs';
export { fromW as fromY } from './w.mjs';
globalThis.wideOrder.push('y');
