// More bindings that shadow an import: a block function, a named function expression, a
// destructured catch parameter, a destructured local, a class, an escaped parameter name.
import { value } from './value.mjs';
export let blockFunctionInside;
{
  function value() { return 'block function'; }
  blockFunctionInside = value();
}
export const afterBlock = () => value;
export const namedFnExpr = (function value() { return typeof value; })();
export const catchDestructure = (() => { try { throw { value: 'destructured catch' }; } catch ({ value }) { return value; } })();
export const destructuredLocal = (() => { const { value } = { value: 'destructured local' }; return value; })();
export const classLocal = (() => { class value {} return typeof value; })();
export const unicodeEscapeParam = ((\u0076alue) => value)('escaped param');
