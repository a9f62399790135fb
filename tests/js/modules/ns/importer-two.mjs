import * as lib from './lib.mjs';
export { lib };
export * as reexported from './lib.mjs';
