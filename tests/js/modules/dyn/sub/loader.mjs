// import() resolves against this file, whoever calls load().
export const load = (specifier) => import(specifier);
export const loadTarget = () => import('./target.mjs');
export const loadParentTarget = () => import('../target.mjs');
