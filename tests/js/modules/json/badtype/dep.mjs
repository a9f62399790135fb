(globalThis.jsonBadTypeLog ||= []).push('dep');
