import { "a-b" as hyphen, "with space" as spaced, "a" as plainA } from './lib.mjs';
export const seen = [hyphen, spaced, plainA];
