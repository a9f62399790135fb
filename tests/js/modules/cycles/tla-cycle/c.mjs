globalThis.tlaCycleLog.push('c');
