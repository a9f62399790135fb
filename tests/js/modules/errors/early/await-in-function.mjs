(globalThis.earlyLog ||= []).push('await-in-function');
function f() {
  return await 1;
}
