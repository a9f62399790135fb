import './z.mjs';
globalThis.wideOrder.push('x');
export const fromX = 'x';
