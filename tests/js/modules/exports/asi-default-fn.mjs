// `export default function` is a declaration: the parenthesis after it is a new statement,
// not a call of the function.
export const ran = []
export default function () { return 'declaration' }
(() => ran.push('iife after default function'))()
