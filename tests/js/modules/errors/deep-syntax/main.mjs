(globalThis.deepSyntaxLog ||= []).push('main');
import './first.mjs';
import './mid.mjs';
