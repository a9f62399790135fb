// `export { x as default }` exports the binding: it stays live.
let x = 'initial';
export { x as default };
export function setX(v) {
  x = v;
}
