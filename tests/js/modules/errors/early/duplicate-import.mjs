(globalThis.earlyLog ||= []).push('duplicate-import');
import { a } from '../../imports/lib.mjs';
import { b as a } from '../../imports/lib.mjs';
