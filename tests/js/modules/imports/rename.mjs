import { a as first, b as second, default as viaDefault } from './lib.mjs';
export const seen = [first, second, viaDefault];
