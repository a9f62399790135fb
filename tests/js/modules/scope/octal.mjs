export const x = 010;
