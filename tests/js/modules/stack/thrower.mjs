// Line numbers matter in this file: the tests look for them in stacks.
import {
  helper,
} from './helper.mjs';
import * as ns from './helper.mjs';

export function fail() {
  throw new Error('from fail');
}
export const caught = (() => { try { helper(); } catch (e) { return e; } })();
export function sameLine() { throw new Error('same line'); }
export const nsHelper = ns.helper;
