// Three directories below the nearest node_modules that has pkg-main.
import { which } from 'pkg-main';
export const staticWhich = which;
export const load = (specifier) => import(specifier);
