// a and b star-export each other: each namespace has both names, and the cycle ends.
export * from './b.mjs';
export const fromA = 'a';
