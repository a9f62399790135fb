const a = 'a value';
let z = 'z value';
export { a as b, z, z as z2 };
export function setZ(v) {
  z = v;
}
