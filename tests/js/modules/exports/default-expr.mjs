let value = 6;
export default value * 7;
value = 0;
export const valueAfter = value;
