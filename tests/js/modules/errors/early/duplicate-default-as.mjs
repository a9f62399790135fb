(globalThis.earlyLog ||= []).push('duplicate-default-as');
const a = 1;
export default 1;
export { a as default };
