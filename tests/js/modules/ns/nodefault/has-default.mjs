(globalThis.noDefaultLog ||= []).push('has-default');
export default 'default';
export const named = 'named';
