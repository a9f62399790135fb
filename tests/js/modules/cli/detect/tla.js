console.log(`${await Promise.resolve('tla')} ${this === undefined}`);
