(globalThis.circularLog ||= []).push('b');
export { x } from './a.mjs';
