import './a.mjs';
(globalThis.erroredSccLog ||= []).push('b');
export const fine = 'b finished';
