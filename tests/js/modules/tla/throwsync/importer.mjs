import './thrower.mjs';
globalThis.throwSyncImporterRan = true;
