globalThis.throwSyncCount = (globalThis.throwSyncCount || 0) + 1;
throw new RangeError('thrown while evaluating');
