// Imported bindings in every expression position.
import { Base, tag, list, maybe, obj, key, fnDefault, value } from './value-and-base.mjs';
export class Derived extends Base {
  kind() {
    return `derived from ${super.kind()}`;
  }
}
export const results = {
  extends: new Derived().kind(),
  new: new Base().kind(),
  instanceof: new Derived() instanceof Base,
  tagged: tag`a${1}b`,
  spread: [...list, ...[4]],
  optionalMember: maybe?.x,
  optionalCall: fnDefault?.(),
  computed: obj[key],
  in: key in obj,
  defaultParam: ((x = value) => x)(),
  destructuringDefault: (({ missing = value } = {}) => missing)(),
  conditional: value ? list.length : 0,
  comma: (0, value),
  templateNested: `${`${value}`}`,
  arrowBody: (() => value)(),
  typeofMember: typeof obj.key,
  voidRef: void value,
  regexAfter: list.length / 3 / 1,
};
export const regexNotDivision = () => /value/.test('value') && /import\(/.test('import(');
