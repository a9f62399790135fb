export const where = 'sub/dep.mjs';
