export * from './star-a.mjs';
export * from './star-b.mjs';
export const dup = 'local';
