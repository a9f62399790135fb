export default { key: 'object literal' };
