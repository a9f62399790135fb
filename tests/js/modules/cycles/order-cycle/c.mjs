(globalThis.cycleOrder ||= []).push('c');
