(globalThis.earlyLog ||= []).push('import-then-let');
import { a } from '../../imports/lib.mjs';
let a = 1;
