(globalThis.noDefaultLog ||= []).push('star');
export * from './has-default.mjs';
