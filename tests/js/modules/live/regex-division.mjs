// A tokenizer must tell regular expressions from division to find the references to an import.
import { value } from './value.mjs';
export const r = [];
if (true) /'/.test("'") && r.push(value);
const a = 8, g = 2, i = 2;
r.push(a /g/ i);
r.push((() => /[/]'/)().test("/'"));
r.push(typeof /"/ === 'object' ? value : 'no');
{}
/`/.test('`') && r.push('regex after block');
r.push(({}) / 1 !== 0);
r.push(`${'}'}${`${value}`}`);
r.push(\u0076alue);
r.push(function* () { yield /'/; }().next().value.source);
