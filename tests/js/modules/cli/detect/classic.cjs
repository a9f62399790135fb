// .cjs is always a classic script.
var cjsVar = 1;
console.log(`${typeof this} ${'cjsVar' in globalThis}`);
