export const c = 'const';
export let l = 'let';
export var v = 'var';
export function f() {
  return 'function';
}
export class C {
  m() {
    return 'class';
  }
}
export async function af() {
  return 'async function';
}
export function* gen() {
  yield 'generator';
}
