(globalThis.ambiguousLog ||= []).push('a');
export const dup = 'a';
