// Every module is loaded before any is linked or run: first.mjs must not run.
(globalThis.missingDepLog ||= []).push('main');
import './first.mjs';
import './nope.js';
