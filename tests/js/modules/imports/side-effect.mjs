import './side-effect-target.mjs';
import {} from './side-effect-target.mjs';
export const seen = globalThis.importsSideEffect;
