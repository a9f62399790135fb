// Re-exports star-a's own `dup` binding: reaching it twice is not a conflict.
export { dup } from './star-a.mjs';
