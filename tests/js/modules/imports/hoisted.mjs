// Import declarations are hoisted: their bindings are usable above them.
export const seen = [a, typeof fn, def];
import { a, fn } from './lib.mjs';
export const later = () => b;
import def, { b } from './lib.mjs';
