(globalThis.deepSyntaxLog ||= []).push('first');
