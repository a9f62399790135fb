(globalThis.missingDepLog ||= []).push('first');
