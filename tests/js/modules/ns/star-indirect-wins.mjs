export * from './star-a.mjs';
export * from './star-b.mjs';
export { onlyB as dup } from './star-b.mjs';
