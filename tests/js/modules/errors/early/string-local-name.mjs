(globalThis.earlyLog ||= []).push('string-local-name');
const a = 1;
export { 'a' as b };
