import './fail.mjs';
globalThis.rejectLog.push('importer-two body');
