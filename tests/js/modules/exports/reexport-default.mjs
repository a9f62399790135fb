export { default } from '../imports/lib.mjs';
