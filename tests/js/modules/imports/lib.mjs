// The module every import form of imports/*.mjs reads from.
export default 'the default';
export const a = 'A';
export const b = 'B';
const hyphenated = 'hyphen value';
export { hyphenated as "a-b", hyphenated as "with space" };
export function fn() {
  return 'fn';
}
