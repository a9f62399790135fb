(globalThis.earlyLog ||= []).push('export-in-function');
function f() {
  export const x = 1;
}
