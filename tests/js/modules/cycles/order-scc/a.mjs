// a -> (b, c), b -> a, c -> b: all three are one strongly connected component.
// b runs first (a is on the stack), then c (b is still evaluating), then a.
import './b.mjs';
import './c.mjs';
globalThis.sccOrder.push('a');
