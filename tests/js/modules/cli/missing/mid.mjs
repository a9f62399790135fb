console.log('mid ran');
import './nope.js';
