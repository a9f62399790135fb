export const x = 1;
console.log(`export ${this === undefined}`);
