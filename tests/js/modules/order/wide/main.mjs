// Depth first, in source order of the module requests (import and export-from alike),
// each module after its dependencies, each once: z w y x main.
import { fromY } from './y.mjs';
import { fromX } from './x.mjs';
import './x.mjs';
globalThis.wideOrder.push(`main ${fromX} ${fromY}`);
