// Top-level names an implementation might use for itself must be free for the module.
import { value as I } from '../live/value.mjs';
const H = 'H';
var ENV = 'ENV';
let __eddy_import = 'not the host import';
function __eddy() {
  return '__eddy';
}
const meta = import.meta.url.endsWith('/reserved-names.mjs');
export const results = [I, H, ENV, __eddy_import, __eddy(), meta];
export const load = () => import('../live/value.mjs');
export { H as exportedH };
