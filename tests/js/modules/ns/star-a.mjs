export const dup = 'from a';
export const onlyA = 'only a';
export default 'default of a';
