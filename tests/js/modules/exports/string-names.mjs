const x = 'x value';
export { x as "a-b", x as "🙂" };
export { "a-b" as "re-exported string" } from '../imports/lib.mjs';
export * as "star namespace" from '../imports/lib.mjs';
