// Export names that look like array indices: a namespace sorts them as strings ("10" < "9").
const nine = 'nine';
const ten = 'ten';
export { nine as "9", ten as "10" };
export const x = 'x';
const zero = 'zero';
export { zero as "0" };
