import { fromB } from './b.mjs';
globalThis.tlaCycleLog.push(`a saw ${fromB}`);
export const fromA = 'a';
