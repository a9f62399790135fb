export const load = () => import('./nope.js');
