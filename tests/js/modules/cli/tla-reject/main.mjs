console.log('before');
await Promise.reject(new Error('main tla rejected'));
console.log('after');
