export class Base {
  kind() {
    return 'base';
  }
}
export function tag(strings, ...values) {
  return `${this === undefined ? 'no this' : 'this'}:${strings.join('|')}:${values.join(',')}`;
}
export const list = [1, 2, 3];
export const maybe = null;
export const obj = { key: 'obj key' };
export const key = 'key';
export function fnDefault() {
  return 'fn default';
}
