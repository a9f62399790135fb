export { default as theDefault, a as renamedA } from '../imports/lib.mjs';
