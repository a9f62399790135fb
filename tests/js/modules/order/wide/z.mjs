(globalThis.wideOrder ||= []).push('z');
