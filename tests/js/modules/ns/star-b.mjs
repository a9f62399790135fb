export const dup = 'from b';
export const onlyB = 'only b';
export default 'default of b';
