import { state } from './slow.mjs';
export const stateSeenByImporter = state;
