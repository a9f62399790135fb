export * as lib from '../imports/lib.mjs';
