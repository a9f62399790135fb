(globalThis.earlyLog ||= []).push('export-undeclared');
export { notDeclaredAnywhere };
