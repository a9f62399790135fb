// Every way of writing to an imported binding; each must throw TypeError (imports are immutable).
import { value, fn } from './value.mjs';
import * as ns from './value.mjs';
export const attempts = {
  'value = 1': () => {
    value = 1;
  },
  'value++': () => {
    value++;
  },
  '--value': () => {
    --value;
  },
  'value += 1': () => {
    value += 1;
  },
  '[value] = [1]': () => {
    [value] = [1];
  },
  '({ value } = {})': () => {
    ({ value } = {});
  },
  '({ x: value } = { x: 1 })': () => {
    ({ x: value } = { x: 1 });
  },
  'for (value of [1])': () => {
    for (value of [1]);
  },
  'fn = null': () => {
    fn = null;
  },
  'ns = null': () => {
    ns = null;
  },
};
export const read = () => [value, typeof value, typeof fn, typeof ns];
