// a <-> b: each calls the other's hoisted function export at top level.
import { fromB, bSawA } from './fn-b.mjs';
export function fromA() {
  return 'A';
}
export const aSawB = fromB();
export { bSawA };
