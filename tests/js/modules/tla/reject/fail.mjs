globalThis.rejectLog.push('fail before await');
await 0;
globalThis.rejectLog.push('fail after await');
throw new Error('top-level await failed');
