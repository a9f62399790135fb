import greet from './hoist-a.mjs';
import anonymous from './hoist-c.mjs';
globalThis.hoistLog = (globalThis.hoistLog || []).concat('b body');
export const results = [greet(), greet.name, anonymous(), anonymous.name];
