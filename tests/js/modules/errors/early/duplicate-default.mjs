(globalThis.earlyLog ||= []).push('duplicate-default');
export default 1;
export default 2;
