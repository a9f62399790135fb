import { a, b, fn } from './lib.mjs';
export const seen = [a, b, fn()];
