// An unsupported type fails before any module of the graph runs.
(globalThis.jsonBadTypeLog ||= []).push('main');
import './dep.mjs';
import data from '../data.json' with { type: 'text-unknown' };
export { data };
