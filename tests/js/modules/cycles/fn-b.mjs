import { fromA } from './fn-a.mjs';
export function fromB() {
  return 'B';
}
// fn-a.mjs has not run yet, but its function declarations exist.
export const bSawA = fromA();
