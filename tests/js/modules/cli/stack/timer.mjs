export const x = 1;
setTimeout(() => {
  throw new Error('thrown from a module timer');
}, 0);
