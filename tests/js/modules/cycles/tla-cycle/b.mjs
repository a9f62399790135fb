import './a.mjs';
(globalThis.tlaCycleLog ||= []).push('b before await');
await 0;
globalThis.tlaCycleLog.push('b after await');
export const fromB = 'b';
