export function helper() {
  throw new TypeError('from helper');
}
