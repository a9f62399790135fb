import { x } from './dep.mjs';
console.log(`${x} ${this === undefined}`);
