export * from './base.mjs';
export { value } from './value.mjs';
