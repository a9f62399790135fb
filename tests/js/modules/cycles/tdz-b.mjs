// Runs before tdz-a.mjs (its importer, part of the same cycle) and reads its bindings.
import { l, c, K, v, f } from './tdz-a.mjs';
import def from './tdz-a.mjs';
import * as nsA from './tdz-a.mjs';
const outcome = (read) => {
  try {
    const value = read();
    return value === undefined ? 'undefined' : `value ${String(value)}`;
  } catch (e) {
    return e instanceof ReferenceError ? 'ReferenceError' : `${e.name}: ${e.message}`;
  }
};
export const probe = {
  let: outcome(() => l),
  const: outcome(() => c),
  class: outcome(() => K),
  'default class': outcome(() => def),
  var: outcome(() => v),
  function: outcome(() => f()),
  'typeof let': outcome(() => typeof l),
  'ns.l': outcome(() => nsA.l),
  'ns.v': outcome(() => nsA.v),
  'Object.keys(ns)': outcome(() => Object.keys(nsA).join()),
  'hasOwnProperty(ns, l)': outcome(() => Object.prototype.hasOwnProperty.call(nsA, 'l')),
  'getOwnPropertyDescriptor(ns, l)': outcome(() => Object.getOwnPropertyDescriptor(nsA, 'l')),
  'Reflect.ownKeys(ns)': outcome(() => Reflect.ownKeys(nsA).map(String).join()),
  "'l' in ns": outcome(() => 'l' in nsA),
};
export const probeLater = () => [l, c, typeof K, v, f(), nsA.l];
