// `export default <expression>` exports the value, not the variable.
let y = 'first';
export default y;
export function setY(v) {
  y = v;
}
