// Link error: `dup` is ambiguous in ./both.mjs. No module of this graph may run.
(globalThis.ambiguousLog ||= []).push('main');
import { dup } from './both.mjs';
export { dup };
