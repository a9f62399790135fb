import './a.mjs';
(globalThis.sccOrder ||= []).push('b');
