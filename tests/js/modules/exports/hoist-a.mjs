// Entry of a cycle a -> c -> b -> (a, c): hoist-b.mjs runs first and calls the default
// exports of a and c, neither of whose bodies has run yet.
import { results } from './hoist-c.mjs';
globalThis.hoistLog = (globalThis.hoistLog || []).concat('a body');
export default function greet() {
  return 'greet from a';
}
export { results };
