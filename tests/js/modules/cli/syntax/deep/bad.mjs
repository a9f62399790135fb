console.log('bad ran');
export const fine = 1;

let broken = ;
