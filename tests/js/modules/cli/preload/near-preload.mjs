export const where = 'next to the preload';
