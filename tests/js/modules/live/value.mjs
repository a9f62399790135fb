export let value = 'imported';
export function fn() {}
export function whoIsThis() {
  return this;
}
