import * as lib from './lib.mjs';
export const seen = lib;
