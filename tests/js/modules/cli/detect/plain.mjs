// No module syntax: .mjs alone makes it a module.
console.log(`${typeof this} ${'topVar' in globalThis}`);
var topVar = 1;
