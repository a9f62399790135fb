export const where = 'dyn/sub/target.mjs';
