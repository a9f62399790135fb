export const x = 'dep x';
