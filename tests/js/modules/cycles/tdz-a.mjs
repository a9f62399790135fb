import { probe, probeLater } from './tdz-b.mjs';
export let l = 'let';
export const c = 'const';
export class K {}
export var v = 'var';
export function f() {
  return 'function';
}
export default class {}
export { probe, probeLater };
