console.log('main ran');
import './mid.mjs';
