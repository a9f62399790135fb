(globalThis.siblingOrder ||= []).push('a before await');
await new Promise((resolve) => setTimeout(resolve, 0));
globalThis.siblingOrder.push('a after await');
export const fromA = 'a finished';
