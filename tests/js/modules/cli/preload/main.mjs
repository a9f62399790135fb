import { x } from '../detect/dep.mjs';
console.log(`${fromPreload} ${x}`);
