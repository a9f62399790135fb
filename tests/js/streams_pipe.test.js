// pipeTo()'s timing against the source and the sink: what the WPT piping files found (the
// streams section of docs/testing.md).

// Resolves after every queued microtask and promise job has run (a macrotask boundary).
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a chunk enqueued into a piped stream reaches the sink a microtask later, not inside enqueue()', async () => {
  let controller;
  const log = [];
  const rs = new ReadableStream({ start(c) { controller = c; } }, { highWaterMark: 0 });
  const done = rs.pipeTo(new WritableStream({ write(chunk) { log.push(`write ${chunk}`); } }));
  await Promise.resolve(); // the source's start has finished and the pipe's read is pending
  controller.enqueue('a');
  log.push('after enqueue');
  await Promise.resolve();
  assertEqual(log, ['after enqueue', 'write a']);
  controller.close();
  await done;
});

test('a source closed right after its last chunk still has that chunk written before the close', async () => {
  const log = [];
  let controller;
  const rs = new ReadableStream({ start(c) { controller = c; } });
  const done = rs.pipeTo(new WritableStream({
    write(chunk) { log.push(`write ${chunk}`); },
    close() { log.push('close'); },
  }));
  await settle();
  controller.enqueue(1);
  controller.enqueue(2);
  controller.close();
  await done;
  assertEqual(log, ['write 1', 'write 2', 'close']);
});

test('a sink errored while a read chunk waits for its write: the pipe rejects, nothing is written', async () => {
  const error = new Error('sink gone');
  let rsController;
  let wsController;
  const written = [];
  const rs = new ReadableStream({ start(c) { rsController = c; } });
  const ws = new WritableStream({
    start(c) { wsController = c; },
    write(chunk) { written.push(chunk); },
  });
  const done = rs.pipeTo(ws, { preventCancel: true });
  await settle();
  rsController.enqueue('x');
  wsController.error(error); // before the microtask that would write 'x'
  let caught;
  try {
    await done;
  } catch (e) {
    caught = e;
  }
  assertEqual(caught, error);
  assertEqual(written, []);
  assert(!rs.locked && !ws.locked, 'both unlocked after the pipe ends');
});
