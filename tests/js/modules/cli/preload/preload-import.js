// A classic preload: import() resolves against this file.
globalThis.preloadImport = import('./near-preload.mjs');
