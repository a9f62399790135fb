let x = 'one let';
var y = 'one var';
function f() {
  return 'one function';
}
export const read = () => [x, y, f()];
export const write = (v) => {
  x = v;
};
