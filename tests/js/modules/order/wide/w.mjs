globalThis.wideOrder.push('w');
export const fromW = 'w';
