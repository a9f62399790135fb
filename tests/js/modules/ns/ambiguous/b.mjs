(globalThis.ambiguousLog ||= []).push('b');
export const dup = 'b';
