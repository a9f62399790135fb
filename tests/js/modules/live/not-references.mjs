// Places where the name of an import appears without being a reference to it.
import { value } from './value.mjs';
export const shorthand = () => ({ value });
export const propertyKey = () => ({ value: 'key' }).value;
export const computedString = () => ({ ['value']: 'computed' })['value'];
export const method = () => ({ value() { return 'method'; } }).value();
export const getter = () => ({ get value() { return 'getter'; } }).value;
export const classMember = () => new (class { value = 'field'; })().value;
export const stringAndTemplate = () => ['value', `value=${value}`];
export const label = () => {
  value: for (;;) break value;
  return 'label';
};
export const memberOfImport = () => value.length;
