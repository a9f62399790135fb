(globalThis.missingExportLog ||= []).push('main');
import './first.mjs';
import { absent } from './dep.mjs';
export { absent };
