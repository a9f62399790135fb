var await = 'await as an identifier';
console.log(await);
