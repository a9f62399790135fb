// Imported only for its side effect.
globalThis.importsSideEffect = (globalThis.importsSideEffect || 0) + 1;
export const unused = 'unused';
