export const topLevelThis = this;
export const functionThis = (function () {
  return this;
})();
export const arrowThis = (() => this)();
export function assignUndeclared() {
  undeclaredInModuleScope = 1;
}
export function writeReadOnly() {
  const frozen = Object.freeze({ p: 1 });
  frozen.p = 2;
}
export function deleteNonConfigurable() {
  delete Object.prototype;
}
