#!/usr/bin/env python3
"""`eddy file.js` and MessagePort/BroadcastChannel: what keeps the command running and what does not.

Pending work is a message waiting in an enabled port queue (or a broadcast on its way); a port
that only listens, a port never started, and a closed port are not (docs/web-apis.md)."""
import os
import subprocess
import sys

from tap import CLEAN_ENV, check, finish

EDDY = sys.argv[1]


def run(source, timeout=30):
    # A hang fails the check (TimeoutExpired is caught below) instead of the whole run.
    try:
        p = subprocess.run([EDDY, "-e", source], capture_output=True, text=True, timeout=timeout,
                           env=CLEAN_ENV)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", "timed out"


rc, out, err = run("const c = new MessageChannel(); c.port1.onmessage = () => {}; console.log('set')")
check("a listening port with nothing in flight lets the command exit", rc == 0 and out == "set\n",
      (rc, out, err))

rc, out, err = run("const c = new MessageChannel(); c.port2.postMessage(1);"
                   "c.port1.addEventListener('message', () => console.log('never')); console.log('queued')")
check("a message queued to a port never started does not keep it running",
      rc == 0 and out == "queued\n", (rc, out, err))

rc, out, err = run("const c = new MessageChannel(); c.port1.onmessage = () => console.log('never');"
                   "c.port1.close(); c.port2.postMessage(1); console.log('closed')")
check("a closed port does not keep it running", rc == 0 and out == "closed\n", (rc, out, err))

# A ping-pong of 200 messages: between two messages nothing else is pending, yet the command
# waits for the last one.
rc, out, err = run("""
const { port1, port2 } = new MessageChannel();
let n = 0;
port1.onmessage = (e) => { if (e.data < 200) port1.postMessage(e.data + 1); else console.log('done', e.data); };
port2.onmessage = (e) => { n++; port2.postMessage(e.data + 1); };
port2.postMessage(0);
""")
check("it waits for messages in flight, to the last", rc == 0 and out == "done 200\n", (rc, out, err))

rc, out, err = run("const a = new BroadcastChannel('x'), b = new BroadcastChannel('x');"
                   "b.onmessage = (e) => { console.log('got', e.data); };"
                   "a.postMessage(42)")
check("it waits for a broadcast on its way, then exits with the channels open",
      rc == 0 and out == "got 42\n", (rc, out, err))

rc, out, err = run("const c = new MessageChannel(); c.port1.onmessage = () => { throw new Error('in listener'); };"
                   "c.port2.postMessage(1)")
check("an error thrown by a listener is uncaught: exit 1 with its message",
      rc == 1 and "in listener" in err, (rc, out, err))

finish()
