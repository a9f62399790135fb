import def from './lib.mjs';
export const seen = def;
