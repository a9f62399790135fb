console.log((await globalThis.preloadImport).where);
