// Re-exporting an imported binding exports the original binding, so it stays live.
import { count, inc } from './counter.mjs';
export { count, inc, count as renamedCount };
