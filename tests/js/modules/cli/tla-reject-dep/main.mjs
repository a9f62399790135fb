import './dep.mjs';
console.log('main ran');
