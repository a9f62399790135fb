// No semicolons: each import and export declaration ends where the specification's automatic
// semicolon insertion ends it, so the parenthesis and bracket after them start new statements.
export const ran = []
const first = 'first'
import { a } from './lib.mjs'
(() => ran.push(`iife after import ${first}`))()
const second = a
export { second }
[1, 2].forEach((n) => ran.push(n))
export * from './side-effect-target.mjs'
`template after export-from`.split(' ').length === 3 && ran.push('template')
