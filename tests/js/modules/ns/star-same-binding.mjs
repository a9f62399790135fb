export * from './star-a.mjs';
export * from './star-a-again.mjs';
