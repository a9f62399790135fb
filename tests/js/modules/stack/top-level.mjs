globalThis.topLevelThrowCount = (globalThis.topLevelThrowCount || 0) + 1;

throw new Error('thrown at top level');
