// Export names chosen so that code unit order differs from insertion order and from code
// point order.
export let a = 1;
export function setA(v) {
  a = v;
}
const other = 'other';
export { other as B, other as _, other as $, other as aa };
export { other as "\u00e9", other as "\ufb01", other as "\u{1d4b3}" };
export default 'default value';
export var uninitialisedVar;
