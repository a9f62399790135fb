#!/usr/bin/env python3
"""The eddy command as a user sees it: exit codes, output streams, error positions."""
import json
import os
import subprocess
import sys
import tempfile
import time

from tap import CLEAN_ENV, check, finish

EDDY = sys.argv[1]


def run(*args, timeout=30):
    p = subprocess.run([EDDY, *args], capture_output=True, text=True, timeout=timeout, env=CLEAN_ENV)
    return p.returncode, p.stdout, p.stderr


rc, out, err = run("--version")
check("--version", rc == 0 and out.startswith("eddy 0.1.0"), out)
rc, out, err = run("--help")
check("--help", rc == 0 and "usage: eddy" in out, out)
rc, out, err = run("--bogus")
check("unknown option exits 2", rc == 2 and "unknown option" in err, err)

rc, out, err = run("-e", "console.log(eddy.args.join('|')); console.error('to stderr')", "a", "b c")
check("args and streams", rc == 0 and out == "a|b c\n" and err == "to stderr\n", (rc, out, err))

# A reader that stops early (eddy x.js | head -1): the script goes on, as in Node, no SIGPIPE.
p = subprocess.Popen([EDDY, "-e", "for (let i = 0; i < 200000; i++) console.log(i); console.error('done')"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=CLEAN_ENV)
first = p.stdout.readline()
p.stdout.close()
err = p.stderr.read().decode()
rc = p.wait(timeout=30)
check("stdout closed by its reader: no SIGPIPE, the script finishes", first == b"0\n" and rc == 0 and
      "done" in err, (first, rc, err))

rc, out, err = run("-e", "setTimeout(() => console.log('late'), 50); console.log('early')")
check("runs until timers are done", rc == 0 and out == "early\nlate\n", (rc, out))

src = "function explode() {\n  throw new Error('boom');\n}\nsetTimeout(explode, 1);\nsetTimeout(() => console.log('never'), 100);\n"
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "crash.js")
    with open(path, "w") as f:
        f.write(src)
    rc, out, err = run(path)
    check("uncaught error in a timer exits 1 like Node", rc == 1 and "never" not in out, (rc, out))
    check("and prints its stack with file:line:column",
          "Uncaught Error: boom" in err and f"at explode ({path}:2:" in err, err)

    path = os.path.join(d, "syntax.js")
    with open(path, "w") as f:
        f.write("let ok = 1;\nlet broken = ;\n")
    rc, out, err = run(path)
    check("syntax error names file:line:column", rc == 1 and f"{path}:2:14" in err and "SyntaxError" in err,
          (rc, err))

# Without JSC's rejection callback (EDDY_JSC_OPTIONAL, docs/porting.md) nothing reports them.
rejections = "rejection_callback" in run("-e", "console.log(eddy.jscFeatures.join())")[1]
rc, out, err = run("-e", "Promise.reject(new TypeError('nobody listens')); 0")
if rejections:
    check("unhandled rejection exits 1", rc == 1 and "Uncaught (in promise) TypeError: nobody listens" in err,
          (rc, err))
else:
    check("unhandled rejection goes unreported without the callback", rc == 0 and err == "", (rc, err))
# Lazy installation seen from a fresh engine (the JS tests' harness installs events.js itself).
rc, out, err = run("-e", "const kind = () => 'get' in Object.getOwnPropertyDescriptor(globalThis, 'DOMException');"
                   " atob(btoa('hi')); crypto.randomUUID(); structuredClone({ m: new Map() });"
                   " console.log(kind());"
                   " try { atob('*') } catch (e) { console.log(e.name, kind()) }")
check("atob, btoa, randomUUID and structuredClone install DOMException only to throw one",
      (rc, out) == (0, "true\nInvalidCharacterError false\n"), (rc, out, err))

# A script's completion value is nobody's business, as in Node: not awaited, not converted.
rc, out, err = run("-e", "console.log('ran'); new Promise(() => {})")
check("a completion promise that never settles is not an error", rc == 0 and out == "ran\n" and err == "",
      (rc, out, err))
rc, out, err = run("-e", "new Proxy({}, { ownKeys() { throw new Error('converted') } })")
check("the completion value is not converted", rc == 0 and err == "", (rc, err))
rc, out, err = run("-e", "Promise.reject(new RangeError('last'))")
check("a rejected completion promise still fails", rc == 1 and "RangeError: last" in err, (rc, err))
rc, out, err = run("-e", "addEventListener('unhandledrejection', e => e.preventDefault()); Promise.reject(1); 0")
check("a prevented rejection does not fail", rc == 0, (rc, err))
import time
t0 = time.monotonic()
rc, out, err = run("-e", "const s = AbortSignal.timeout(20000); setTimeout(() => console.log('done'), 10)")
check("AbortSignal.timeout does not keep the program alive (as in Node)",
      rc == 0 and out == "done\n" and time.monotonic() - t0 < 10, (rc, out, err))
rc, out, err = run("-e", "AbortSignal.timeout(30).addEventListener('abort', e => console.log(e.target.reason.name)); setTimeout(() => {}, 100)")
check("but still fires while other work runs", rc == 0 and out == "TimeoutError\n", (rc, out, err))
rc, out, err = run("-e", "let n = 0; const f = () => { if (++n < 100) setImmediate(f); else console.log('chain', n) }; setImmediate(f)")
check("a setImmediate chain keeps the program alive", rc == 0 and out == "chain 100\n", (rc, out, err))
t0 = time.monotonic()
rc, out, err = run("-e", "setImmediate(() => console.log('never')).unref()")
check("an unref'd setImmediate does not (as in Node)", rc == 0 and out == "" and time.monotonic() - t0 < 10,
      (rc, out, err))
rc, out, err = run("-e", "setImmediate(() => { throw new Error('imm boom') }); setTimeout(() => console.log('never'), 100)")
check("uncaught error in an immediate exits 1 like a timer's", rc == 1 and "never" not in out and
      "Uncaught Error: imm boom" in err, (rc, out, err))
rc, out, err = run("/nonexistent/file.js")
check("missing file", rc == 1 and "cannot read" in err, err)
check("a missing file says why, as Node words it",
      err == "eddy: cannot read /nonexistent/file.js: ENOENT: no such file or directory\n", err)
with tempfile.TemporaryDirectory() as d:
    rc, out, err = run(d)
    check("a directory says why", rc == 1 and f"cannot read {d}: EISDIR: is a directory" in err, err)

# --help lists what a script sees and every option.
rc, out, err = run("--help")
check("--help lists eddy.args, eddy.env, eddy.exit, -, --base-url",
      all(w in out for w in ("eddy.args", "eddy.env", "eddy.exit", "eddy [options] - ", "--base-url")), out)

# Console output: in order across both streams, and written at once (never held in a buffer).
p = subprocess.run([EDDY, "-e", "console.log('a'); console.error('b'); console.log('c'); console.warn('d')"],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30, env=CLEAN_ENV)
check("stdout and stderr keep their order in one pipe", p.stdout == "a\nb\nc\nd\n", p.stdout)


def first_line_while_running(args, deadline_s=20):
    """Starts eddy with stdout on a pipe and reads its first line while it still runs (it is
    killed afterwards): output held in a buffer would never arrive."""
    import selectors
    proc = subprocess.Popen([EDDY, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=CLEAN_ENV)
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        data = b""
        end = time.monotonic() + deadline_s
        while b"\n" not in data and time.monotonic() < end and proc.poll() is None:
            if sel.select(timeout=max(0, end - time.monotonic())):
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                data += chunk
        return data.decode(), proc.poll()
    finally:
        proc.kill()
        proc.wait(timeout=10)


line, status = first_line_while_running(["-e", "console.log('alive'); setInterval(() => {}, 1000)"])
check("a line is on the pipe while the program still runs (not lost if it is killed)",
      line == "alive\n" and status is None, (line, status))


def run_stdin(source, *args):
    p = subprocess.run([EDDY, *args], input=source, capture_output=True, text=True, timeout=30, env=CLEAN_ENV)
    return p.returncode, p.stdout, p.stderr


rc, out, err = run_stdin("console.log('classic', eddy.args.join(','), typeof require)", "-", "x", "y")
check("eddy - runs a classic script from standard input, args after it", rc == 0 and out == "classic x,y undefined\n",
      (rc, out, err))
rc, out, err = run_stdin("const m = await Promise.resolve(import.meta.url);\nconsole.log(m.endsWith('/[stdin]'))", "-")
check("eddy - detects a module on standard input", rc == 0 and out == "true\n", (rc, out, err))
rc, out, err = run_stdin("throw new Error('from stdin')", "-")
check("an error on standard input names [stdin]", rc == 1 and "[stdin]:1" in err, (rc, err))
rc, out, err = run_stdin("let x = ;", "--classic", "-")
check("a syntax error on standard input names [stdin]:line:column", rc == 1 and "[stdin]:1:9" in err, (rc, err))

# eddy.exit: the status as given, nothing after it runs, what was written is kept.
rc, out, err = run("-e", "console.log('before'); eddy.exit(3); console.log('after')")
check("eddy.exit(3) exits 3 after flushing, runs nothing after", rc == 3 and out == "before\n", (rc, out, err))
rc, out, err = run("-e", "setTimeout(() => console.log('timer'), 0); Promise.resolve().then(() => console.log('micro'));"
                   " try { eddy.exit() } finally { console.log('finally') }")
check("eddy.exit() exits 0: no finally, microtask or timer runs", rc == 0 and out == "", (rc, out, err))
rc, out, err = run("-e", "setTimeout(() => { console.log('in timer'); eddy.exit(256 + 9) }, 5); setTimeout(() => console.log('no'), 50)")
check("eddy.exit from a timer; the status is the code's low byte", rc == 9 and out == "in timer\n", (rc, out, err))
rc, out, err = run("--module", "-e", "await new Promise(r => setTimeout(r, 1)); eddy.exit(5)")
check("eddy.exit from a module after top-level await", rc == 5, (rc, out, err))
rc, out, err = run("-e", "eddy.exit('1')")
check("eddy.exit with a string throws a TypeError", rc == 1 and "TypeError: eddy.exit" in err, (rc, err))
rc, out, err = run("-e", "try { eddy.exit(1.5) } catch (e) { console.log(e.name) }")
check("eddy.exit with a fraction throws a RangeError", rc == 0 and out == "RangeError\n", (rc, out, err))

# eddy.env: a read-only snapshot.
env = dict(CLEAN_ENV, EDDY_TEST_VALUE="caf\u00e9 = 1")
p = subprocess.run([EDDY, "-e", "'use strict'; const r = [eddy.env.EDDY_TEST_VALUE, Object.isFrozen(eddy.env), typeof eddy.env.PATH];"
                    " try { eddy.env.X = '1' } catch (e) { r.push(e.name) } try { eddy.env = {} } catch (e) { r.push(e.name) }"
                    " console.log(JSON.stringify(r))"], capture_output=True, text=True, timeout=30, env=env)
check("eddy.env is a frozen snapshot of the environment",
      p.returncode == 0 and json.loads(p.stdout) == ["caf\u00e9 = 1", True, "string", "TypeError", "TypeError"],
      (p.returncode, p.stdout, p.stderr))

# --base-url: relative URLs resolve against it, as against a page's location.
rc, out, err = run("--base-url", "http://127.0.0.1:9/app/", "-e",
                   "console.log(new Request('api?q=1').url, Response.redirect('/x').headers.get('location'))")
check("--base-url resolves relative URLs", rc == 0 and out == "http://127.0.0.1:9/app/api?q=1 http://127.0.0.1:9/x\n",
      (rc, out, err))
rc, out, err = run("--base-url", "http://127.0.0.1:9/app/", "-e",
                   "for (const r of ['http://other.test/p', '/same?q#f']) console.log(new Request('x', { referrer: r }).referrer)")
check("a referrer of another origin than --base-url's becomes the client (Fetch's Request constructor)",
      rc == 0 and out == "about:client\nhttp://127.0.0.1:9/same?q#f\n", (rc, out, err))
rc, out, err = run("-e", "try { new Request('api') } catch (e) { console.log(e.name) }")
check("without --base-url a relative URL is a TypeError", rc == 0 and out == "TypeError\n", (rc, out, err))
rc, out, err = run("--base-url", "not a url", "-e", "console.log('ran')")
check("a bad --base-url exits 2 before running anything", rc == 2 and out == "" and "--base-url" in err, (rc, out, err))
rc, out, err = run("--base-url", "file:///tmp/", "-e", "console.log('ran')")
check("--base-url wants http: or https:", rc == 2 and "http: or https:" in err, (rc, out, err))

# --cacert and --capath replace the trust store (tests/servers/tls_server.py: nginx, self-signed).
import json
servers = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "servers")
tls = subprocess.Popen([sys.executable, os.path.join(servers, "tls_server.py")],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
try:
    info = json.loads(tls.stdout.readline())
    get = f"fetch('{info['h2']}/proto').then(r => r.text()).then(console.log, e => console.log(e.cause.code))"
    rc, out, err = run("-e", get)
    check("the system store refuses a self-signed certificate", rc == 0 and out == "60\n", (rc, out, err))
    rc, out, err = run("--cacert", info["cacert"], "-e", get)
    check("--cacert trusts it (over HTTP/2)", rc == 0 and out.startswith("HTTP/2.0 "), (rc, out, err))
    rc, out, err = run("--capath", info["capath"], "-e", get)
    check("--capath trusts it", rc == 0 and out.startswith("HTTP/2.0 "), (rc, out, err))
    env = dict(CLEAN_ENV, SSL_CERT_FILE=info["cacert"])
    p = subprocess.run([EDDY, "-e", get], capture_output=True, text=True, timeout=30, env=env)
    check("SSL_CERT_FILE trusts it", p.returncode == 0 and p.stdout.startswith("HTTP/2.0 "),
          (p.returncode, p.stdout, p.stderr))
    env = dict(CLEAN_ENV, SSL_CERT_FILE="/nonexistent.pem")
    p = subprocess.run([EDDY, "--capath", info["capath"], "-e", get], capture_output=True, text=True,
                       timeout=30, env=env)
    check("a flag overrides SSL_CERT_FILE", p.returncode == 0 and p.stdout.startswith("HTTP/2.0 "),
          (p.returncode, p.stdout, p.stderr))
finally:
    tls.stdin.close()
    tls.wait(timeout=15)

finish()
