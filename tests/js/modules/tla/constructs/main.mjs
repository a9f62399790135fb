// Top-level await inside statements of every kind.
export const steps = [];
for (let i = 0; i < 2; i++) steps.push(await Promise.resolve(`for ${i}`));
let n = 0;
while (n < 2) steps.push(await `while ${n++}`);
try {
  await Promise.reject(new Error('rejected'));
} catch (e) {
  steps.push(`catch ${e.message}`);
} finally {
  steps.push(await 'finally');
}
{
  const inBlock = await 'block';
  steps.push(inBlock);
}
if (await true) steps.push('if');
switch (await 'k') {
  case 'k':
    steps.push(await 'switch');
}
label: {
  steps.push(await 'label');
  break label;
}
steps.push(`${await 'template'} ${[await 'array'][0]} ${{ o: await 'object' }.o}`);
steps.push(await (async () => 'async arrow')());
steps.push(await { then: (resolve) => resolve('thenable') });
steps.push((await import('./imported.mjs')).fromImport);
async function* generator() {
  yield 'gen 1';
  yield await 'gen 2';
}
for await (const v of generator()) steps.push(v);
for await (const v of [Promise.resolve('sync iterable 1'), 'sync iterable 2']) steps.push(v);
export const awaitedExport = await 'awaited export';
