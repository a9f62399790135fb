(globalThis.tlaOrder ||= []).push('a before await');
await 0;
globalThis.tlaOrder.push('a after await');
