#!/usr/bin/env python3
"""The eddy command as a user sees it: exit codes, output streams, error positions."""
import os
import subprocess
import sys
import tempfile

EDDY = sys.argv[1]
checks = failures = 0


# The command takes OpenSSL's CA variables: a developer's own must not change what is tested.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}


def run(*args, timeout=30):
    p = subprocess.run([EDDY, *args], capture_output=True, text=True, timeout=timeout, env=CLEAN_ENV)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    global checks, failures
    checks += 1
    if cond:
        print(f"ok - {name}")
    else:
        failures += 1
        print(f"not ok - {name}: {detail}")


rc, out, err = run("--version")
check("--version", rc == 0 and out.startswith("eddy 0.1.0"), out)
rc, out, err = run("--help")
check("--help", rc == 0 and "usage: eddy" in out, out)
rc, out, err = run("--bogus")
check("unknown option exits 2", rc == 2 and "unknown option" in err, err)

rc, out, err = run("-e", "console.log(eddy.args.join('|')); console.error('to stderr')", "a", "b c")
check("args and streams", rc == 0 and out == "a|b c\n" and err == "to stderr\n", (rc, out, err))

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

rc, out, err = run("-e", "Promise.reject(new TypeError('nobody listens')); 0")
check("unhandled rejection exits 1", rc == 1 and "Uncaught (in promise) TypeError: nobody listens" in err,
      (rc, err))
rc, out, err = run("-e", "addEventListener('unhandledrejection', e => e.preventDefault()); Promise.reject(1); 0")
check("a prevented rejection does not fail", rc == 0, (rc, err))
import time
t0 = time.monotonic()
rc, out, err = run("-e", "const s = AbortSignal.timeout(20000); setTimeout(() => console.log('done'), 10)")
check("AbortSignal.timeout does not keep the program alive (as in Node)",
      rc == 0 and out == "done\n" and time.monotonic() - t0 < 10, (rc, out, err))
rc, out, err = run("-e", "AbortSignal.timeout(30).addEventListener('abort', e => console.log(e.target.reason.name)); setTimeout(() => {}, 100)")
check("but still fires while other work runs", rc == 0 and out == "TimeoutError\n", (rc, out, err))
rc, out, err = run("/nonexistent/file.js")
check("missing file", rc == 1 and "cannot read" in err, err)

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

print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
