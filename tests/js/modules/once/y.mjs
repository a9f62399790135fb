import * as counted from './../once/counted.mjs';
export { counted };
export const viaImport = () => import('./counted.mjs');
