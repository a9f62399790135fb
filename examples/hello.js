// A tour of what runs out of the box: timers, promises, fetch (of a data: URL, so it works
// offline), encoding and console formatting. Run: ./build/eddy examples/hello.js
const started = performance.now();

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main() {
  console.log('eddy %s, args: %o', eddy.version, eddy.args);

  const ticks = [];
  const interval = setInterval(() => ticks.push(Math.round(performance.now() - started)), 10);
  await sleep(55);
  clearInterval(interval);
  console.log('interval ticked at ~ms:', ticks);

  const res = await fetch('data:application/json,{"greeting":"hello","from":"a data: URL"}');
  console.log('fetch:', res.status, res.headers.get('content-type'), await res.json());

  const bytes = new TextEncoder().encode('héllo 👋');
  console.log('utf-8:', bytes, '->', new TextDecoder().decode(bytes));

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 5);
  try {
    await new Promise((resolve, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason));
    });
  } catch (err) {
    console.log('aborted with', err.name);
  }

  console.table([{ api: 'setTimeout', native: true }, { api: 'fetch', native: true }]);
  console.log('done in %d ms', Math.round(performance.now() - started));
}

main();
