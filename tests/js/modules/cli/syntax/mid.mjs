console.log('mid ran');
import './deep/bad.mjs';
