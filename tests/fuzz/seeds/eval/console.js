console.log('%s %d %o', 'a', 1, {x: [1, {y: new Set([1])}]}); console.error(new Error('e', {cause: 1})); console.table([{a: 1}]); class A { #p = 1; get q() { return this.#p; } }; new A().q
