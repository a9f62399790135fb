export * from '../imports/lib.mjs';
