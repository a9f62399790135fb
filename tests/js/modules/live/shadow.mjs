// Local bindings with the same name as an import use their own value.
import { value } from './value.mjs';
export function param(value) {
  return value;
}
export function defaultParam(value = 'default param') {
  return value;
}
export function destructuredParam({ value }) {
  return value;
}
export const arrowParam = (value) => value;
export function blockLet() {
  let value = 'let';
  return value;
}
export function functionVar() {
  var value = 'var';
  return value;
}
export function catchParam() {
  try {
    throw 'caught';
  } catch (value) {
    return value;
  }
}
export function innerFunction() {
  function value() {
    return 'inner function';
  }
  return value();
}
export function forOfLet() {
  const seen = [];
  for (const value of ['loop 1', 'loop 2']) seen.push(value);
  return seen;
}
export function innerBlockOnly() {
  {
    const value = 'block only';
    void value;
  }
  return value;
}
export function classMethodParam() {
  return new (class {
    m(value) {
      return value;
    }
  })().m('method param');
}
export const outer = () => value;
