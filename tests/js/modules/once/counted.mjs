globalThis.onceCount = (globalThis.onceCount || 0) + 1;
export const token = {};
