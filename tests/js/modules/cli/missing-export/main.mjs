console.log('main ran');
import './first.mjs';
import { absent } from './dep.mjs';
console.log(absent);
