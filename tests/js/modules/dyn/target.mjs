export const where = 'dyn/target.mjs';
