// a awaits; b does not depend on a and runs at once; c depends on a and waits for it.
import './a.mjs';
import './b.mjs';
import './c.mjs';
globalThis.siblingOrder.push('main');
