(globalThis.deepSyntaxLog ||= []).push('mid');
import './bad.mjs';
