globalThis.siblingOrder.push('b');
