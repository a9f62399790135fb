// `await` is reserved in module code.
var await = 1;
export { await as x };
