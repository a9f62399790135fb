import * as counted from './counted.mjs';
export { counted };
