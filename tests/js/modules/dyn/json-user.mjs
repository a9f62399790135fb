export const load = () => import('../json/data.json', { with: { type: 'json' } });
