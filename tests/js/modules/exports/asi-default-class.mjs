export const ran = []
export default class {}
(() => ran.push('iife after default class'))()
