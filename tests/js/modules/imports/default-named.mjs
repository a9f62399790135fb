import def, { a, b as bee } from './lib.mjs';
export const seen = [def, a, bee];
