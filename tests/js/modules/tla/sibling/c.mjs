import { fromA } from './a.mjs';
globalThis.siblingOrder.push(`c saw ${fromA}`);
