// Valid classic code: runs as a classic script, its var becomes a global property.
console.log(`${typeof this} ${'topVar' in globalThis}`);
var topVar = 1;
