import data from './data.json' with { type: 'json' };
import again from './data.json' with { type: 'json' };
import * as ns from './data.json' with { type: 'json' };
import list from './array.json' with { type: 'json' };
export { data, again, ns, list };
