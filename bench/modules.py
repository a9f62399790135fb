#!/usr/bin/env python3
"""Module loading cost, side by side: the same code as ES modules and as one classic script.

  python3 bench/modules.py [--runs N]

Generates, in a temporary directory:
  many/    200 small modules in a chain of imports (each exports a function and a class, imports
           two earlier ones) and main.mjs importing the last;
  many.js  the same code as one classic script (the bodies concatenated, imports dropped);
  bundle/  one ~5 MB module (a bundler's output shape: many functions, one export);
  bundle.js the same as a classic script.
Runs each with eddy (and node, bun if found) and prints the median wall time over --runs runs
of the whole process, minus an empty script's, and the module/classic ratio per runtime.
Numbers are reported, never asserted.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def small_module(i):
    deps = [j for j in (i - 1, i - 7) if j >= 0]
    imports = "".join(f"import {{ f{j}, C{j} }} from './m{j}.mjs';\n" for j in deps)
    # Each module uses its imports once at evaluation (calling them from f would recurse
    # exponentially down the chain).
    body = (f"export function f{i}(x) {{ let s = x; for (let k = 0; k < 3; k++) s = (s * 31 + k) | 0; return s; }}\n"
            f"export class C{i} {{ constructor(v) {{ this.v = v; }} get twice() {{ return this.v * 2; }} }}\n"
            f"const k{i} = {i}" + "".join(f" + f{j}({j}) + new C{j}(1).twice" for j in deps) + ";\n")
    return imports, body


def bundle_body(size):
    parts = []
    n = 0
    total = 0
    while total < size:
        chunk = (f"function g{n}(a, b) {{ const o = {{ a, b, s: 'str{n}' }}; if (a > b) return o.a - b; "
                 f"return [a, b, o.s.length].reduce((x, y) => x + y, {n}); }}\n")
        parts.append(chunk)
        total += len(chunk)
        n += 1
    parts.append(f"let acc = 0; for (let i = 0; i < {n}; i += 97) acc += globalThis['g' + i] ? 0 : 1;\n")
    return "".join(parts), n


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def generate(d):
    os.makedirs(os.path.join(d, "many"))
    classic = []
    for i in range(200):
        imports, body = small_module(i)
        write(os.path.join(d, "many", f"m{i}.mjs"), imports + body)
        classic.append(body.replace("export ", ""))
    write(os.path.join(d, "many", "main.mjs"),
          "import { f199, C199 } from './m199.mjs';\nglobalThis.out = f199(1) + new C199(2).twice;\n")
    write(os.path.join(d, "many.js"),
          "(function () {\n" + "".join(classic) + "globalThis.out = f199(1) + new C199(2).twice;\n})();\n")
    body, n = bundle_body(5 * 1024 * 1024)
    os.makedirs(os.path.join(d, "bundle"))
    write(os.path.join(d, "bundle", "main.mjs"), body + "export default acc;\n")
    write(os.path.join(d, "bundle.js"), "(function () {\n" + body + "globalThis.out = acc;\n})();\n")
    write(os.path.join(d, "empty.mjs"), "export {};\n")
    write(os.path.join(d, "empty.js"), "\n")


def runtimes():
    found = []
    eddy = os.environ.get("EDDY", os.path.join(ROOT, "build", "eddy"))
    if os.access(eddy, os.X_OK):
        found.append(("eddy", [eddy]))
    node = os.environ.get("NODE") or shutil.which("node")
    if node:
        found.append(("node", [node]))
    bun = os.environ.get("BUN") or shutil.which("bun") or next(
        (p for p in [os.path.join(HERE, "node_modules", ".bin", "bun")] if os.access(p, os.X_OK)), None)
    if bun:
        found.append(("bun", [bun]))
    return found


def timed(cmd, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="eddy-bench-modules-")
    try:
        generate(d)
        cases = [("200 modules", "many/main.mjs", "many.js"), ("5 MB bundle", "bundle/main.mjs", "bundle.js")]
        print(f"{'runtime':8} {'case':12} {'module ms':>10} {'classic ms':>11} {'ratio':>6}")
        for name, cmd in runtimes():
            base_m = timed(cmd + [os.path.join(d, "empty.mjs")], args.runs)
            base_c = timed(cmd + [os.path.join(d, "empty.js")], args.runs)
            for label, mod, classic in cases:
                m = timed(cmd + [os.path.join(d, mod)], args.runs) - base_m
                c = timed(cmd + [os.path.join(d, classic)], args.runs) - base_c
                print(f"{name:8} {label:12} {m:10.1f} {c:11.1f} {m / c if c > 0 else float('nan'):6.2f}")
            print(f"{name:8} {'(start-up)':12} {base_m:10.1f} {base_c:11.1f}")
    finally:
        shutil.rmtree(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
