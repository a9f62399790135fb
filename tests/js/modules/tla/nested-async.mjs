// Only top-level await is the module's: awaits in nested functions belong to them.
async function nested() {
  const a = await 'nested await';
  let sum = '';
  for await (const x of [Promise.resolve('f'), 'or']) sum += x;
  return `${a} ${sum}`;
}
const arrow = async () => await 'arrow await';
function* generator() {
  yield 'generator yield';
}
const method = { async m() { return await 'method await'; } };
export const results = [await nested(), await arrow(), generator().next().value, await method.m()];
export const pending = nested();
