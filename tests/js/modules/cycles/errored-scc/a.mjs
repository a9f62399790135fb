// a <-> b; b's body completes, then a (the root of the cycle) throws: both are errored.
import './b.mjs';
globalThis.erroredSccLog.push('a');
throw new Error('root of the cycle threw');
