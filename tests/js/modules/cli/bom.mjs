import { x } from "./detect/dep.mjs";
console.log(`bom ${x}`);
