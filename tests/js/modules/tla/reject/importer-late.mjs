import './fail.mjs';
globalThis.rejectLog.push('importer-late body');
