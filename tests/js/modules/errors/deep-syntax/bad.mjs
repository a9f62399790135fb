(globalThis.deepSyntaxLog ||= []).push('bad');

export const broken = ;
