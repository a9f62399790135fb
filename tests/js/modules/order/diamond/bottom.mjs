(globalThis.diamondOrder ||= []).push('bottom');
