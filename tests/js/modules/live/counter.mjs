export let count = 0;
export function inc() {
  count++;
}
export let later;
export function setLater(v) {
  later = v;
}
