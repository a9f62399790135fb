(globalThis.circularLog ||= []).push('a');
export { x } from './b.mjs';
