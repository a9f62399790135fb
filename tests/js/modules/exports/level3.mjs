export let deep = 'level 3';
export function setDeep(v) {
  deep = v;
}
