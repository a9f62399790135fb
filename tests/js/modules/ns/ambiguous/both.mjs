(globalThis.ambiguousLog ||= []).push('both');
export * from './a.mjs';
export * from './b.mjs';
