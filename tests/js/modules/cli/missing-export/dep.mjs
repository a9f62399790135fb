console.log('dep ran');
export const present = 1;
