import * as lib from './lib.mjs';
export { lib };
