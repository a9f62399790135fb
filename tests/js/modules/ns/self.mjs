export * as self from './self.mjs';
import * as me from './self.mjs';
export const x = 'x';
export const viaImport = () => me;
