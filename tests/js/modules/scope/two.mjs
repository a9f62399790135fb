let x = 'two let';
var y = 'two var';
function f() {
  return 'two function';
}
export const read = () => [x, y, f()];
