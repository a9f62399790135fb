console.log(import.meta.url);
console.log(import.meta.resolve('./x.js'));
