import { whoIsThis } from './value.mjs';
import * as ns from './value.mjs';
export const plainCall = () => whoIsThis();
export const namespaceCall = () => ns.whoIsThis();
export const ns_ = ns;
