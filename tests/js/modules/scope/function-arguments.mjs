// Functions in a module have their own arguments; arrows see their function's.
export const fnArguments = (function () {
  return arguments.length;
})(1, 2, 3);
function outer() {
  return (() => arguments[0])();
}
export const arrowArguments = outer('outer argument');
