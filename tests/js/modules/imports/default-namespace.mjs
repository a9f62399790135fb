import def, * as lib from './lib.mjs';
export const seen = [def, lib.default, lib.a];
export { lib };
