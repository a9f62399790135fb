export const meta = import.meta;
export const url = import.meta.url;
export const resolved = import.meta.resolve('./x.js');
export const resolvedParent = import.meta.resolve('../other/y.mjs');
export const getMeta = () => import.meta;
export const sameTwice = import.meta === import.meta;
