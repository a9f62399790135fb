console.log('thrower ran');

throw new Error('boom in thrower');
