(globalThis.earlyLog ||= []).push('import-then-function');
import { a } from '../../imports/lib.mjs';
function a() {}
