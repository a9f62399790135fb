export const { a, b: [c], ...rest } = { a: 1, b: [2], d: 3, e: 4 };
export let [x, , y = 'default y', ...zs] = [10, 11, undefined, 12, 13];
