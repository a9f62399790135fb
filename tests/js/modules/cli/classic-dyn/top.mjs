export const where = 'top.mjs';
