import { count, inc, later, setLater } from './counter.mjs';
import * as counter from './counter.mjs';
export const read = () => [count, counter.count];
export const readLater = () => later;
export { inc, setLater };
