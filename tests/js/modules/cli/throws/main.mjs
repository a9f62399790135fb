import './first.mjs';
import './thrower.mjs';
console.log('main ran');
