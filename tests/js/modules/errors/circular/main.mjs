// x is re-exported in a circle and never declared: a SyntaxError when linking.
(globalThis.circularLog ||= []).push('main');
import { x } from './a.mjs';
export { x };
