(globalThis.earlyLog ||= []).push('duplicate-export');
const a = 1;
export { a, a as b, a as b };
