// Bare specifiers resolve from this file's directory upwards: npm/node_modules first,
// then modules/node_modules.
export const load = (specifier) => import(specifier);
export const resolve = (specifier) => import.meta.resolve(specifier);
