// Top-level for await closes its iterator on break and on a throw from the body, and skips
// on continue, as in an async function.
export const log = [];
function counting() {
  let i = 0;
  return {
    [Symbol.asyncIterator]() {
      return {
        next: async () => ({ value: i++, done: false }),
        return: async () => {
          log.push('return');
          return { done: true };
        },
      };
    },
  };
}
for await (const v of counting()) {
  if (v === 1) continue;
  log.push(v);
  if (v >= 2) break;
}
try {
  for await (const v of counting()) throw new Error(`thrown at ${v}`);
} catch (e) {
  log.push(e.message);
}
export let sum = 0;
for await (const v of [1, 2, 3]) sum += v;
export default await Promise.resolve('awaited default');
