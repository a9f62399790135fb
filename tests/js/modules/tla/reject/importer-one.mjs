import './fail.mjs';
globalThis.rejectLog.push('importer-one body');
