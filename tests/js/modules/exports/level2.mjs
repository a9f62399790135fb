export { deep as deep2, setDeep } from './level3.mjs';
