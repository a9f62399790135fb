// Finishes only after a timer: importers must not see it before then.
export let state = 'started';
globalThis.slowState = state;
await new Promise((resolve) => setTimeout(resolve, 1));
state = 'finished';
globalThis.slowState = state;
