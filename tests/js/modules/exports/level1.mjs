export * from './level2.mjs';
