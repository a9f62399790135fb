import { results } from './hoist-b.mjs';
globalThis.hoistLog = (globalThis.hoistLog || []).concat('c body');
export default function () {
  return 'anonymous from c';
}
export { results };
