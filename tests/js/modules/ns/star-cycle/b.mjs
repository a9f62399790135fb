export * from './a.mjs';
export const fromB = 'b';
