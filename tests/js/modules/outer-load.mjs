// modules/ has no node_modules/pkg-shadowed nearer than modules/node_modules.
export const load = (specifier) => import(specifier);
