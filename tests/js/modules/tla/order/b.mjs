globalThis.tlaOrder.push('b');
