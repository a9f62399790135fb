#!/usr/bin/env python3
"""ES modules through the eddy command: detection, flags, exit status, what reaches stderr.

Fixtures are in tests/js/modules/cli/. Each check runs eddy on one entry file and asserts its
exit status, stdout and stderr; `nothing ran` is an empty stdout, since every module of a graph
prints when it runs.
"""
import os
import subprocess
import sys
import tempfile

from tap import CLEAN_ENV, check, finish

EDDY = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), "js", "modules", "cli")


def fx(*parts):
    return os.path.join(FIX, *parts)


def url(path):
    return "file://" + path


def run(*args, cwd=None, timeout=30):
    p = subprocess.run([EDDY, *args], capture_output=True, text=True, timeout=timeout, env=CLEAN_ENV,
                       cwd=cwd)
    return p.returncode, p.stdout, p.stderr


# --- Errors found before anything runs ---------------------------------------------------------

bad = fx("syntax", "deep", "bad.mjs")
rc, out, err = run(fx("syntax", "main.mjs"))
check("syntax error in a deep import: exit 1, nothing ran", rc == 1 and out == "", (rc, out, err))
check("syntax error in a deep import: SyntaxError with that file and line",
      "SyntaxError" in err and f"{bad}:4" in err, err)
check("syntax error in a deep import: and the column, as for classic scripts",
      f"{bad}:4:14" in err, err)
check("syntax error in a deep import: the importers are not blamed",
      fx("syntax", "mid.mjs") + ":" not in err and fx("syntax", "main.mjs") + ":" not in err, err)

rc, out, err = run(bad)
check("syntax error in the main module: exit 1, file:line:column",
      rc == 1 and out == "" and "SyntaxError" in err and f"{bad}:4:14" in err, (rc, out, err))

rc, out, err = run(fx("missing", "main.mjs"))
check("missing module: exit 1, nothing ran", rc == 1 and out == "", (rc, out, err))
check("missing module: names the specifier and the importer",
      f"Cannot find module './nope.js' imported from {fx('missing', 'mid.mjs')}" in err, err)

rc, out, err = run(fx("missing-export", "main.mjs"))
check("missing export: exit 1, no module of the graph ran", rc == 1 and out == "", (rc, out, err))
check("missing export: a SyntaxError naming the export and the module",
      "SyntaxError" in err and "absent" in err and "dep.mjs" in err, err)

# --- Errors while running ----------------------------------------------------------------------

thrower = fx("throws", "thrower.mjs")
rc, out, err = run(fx("throws", "main.mjs"))
check("error at the top level of an import: exit 1, modules before it ran, its importer not",
      rc == 1 and out == "first ran\nthrower ran\n", (rc, out, err))
check("error at the top level of an import: stderr has the error and the module's file:line",
      "Error: boom in thrower" in err and f"{thrower}:3" in err, err)

rc, out, err = run(fx("tla-reject", "main.mjs"))
check("rejected top-level await in the main module: exit 1 with the error on stderr",
      rc == 1 and out == "before\n" and "main tla rejected" in err, (rc, out, err))
check("rejected top-level await in the main module: with its file and line",
      f"{fx('tla-reject', 'main.mjs')}:2" in err, err)

rc, out, err = run(fx("never", "main.mjs"), timeout=20)
check("a top-level await that can never settle ends the program with a non-zero status",
      rc not in (0, None) and out == "start\n" and err != "", (rc, out, err))

rc, out, err = run(fx("tla-reject-dep", "main.mjs"))
check("rejected top-level await in a dependency: exit 1, the importer never ran",
      rc == 1 and out == "" and "dependency tla rejected" in err, (rc, out, err))

dep = fx("stack", "dep.mjs")
rc, out, err = run(fx("stack", "main.mjs"))
check("uncaught error from an imported function: exit 1, stack with both modules' lines",
      rc == 1 and "exploded in dep" in err and f"{dep}:2" in err and f"{fx('stack', 'main.mjs')}:3" in err,
      (rc, err))
rc, out, err = run(fx("stack", "timer.mjs"))
check("uncaught error in a module's timer: exit 1, stack with the module's file:line",
      rc == 1 and "thrown from a module timer" in err and f"{fx('stack', 'timer.mjs')}:3" in err, (rc, err))

# The main module's namespace is not the program's business: not converted for the host.
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "it's \\ here.mjs")  # a quote and a backslash in the file's path
    with open(path, "w") as f:
        f.write("export const p = new Proxy({}, { ownKeys() { throw new Error('converted') } });\n"
                "console.log(import.meta.url.endsWith('/it\\'s%20%5C%20here.mjs'));\n")
    rc, out, err = run(path)
    check("the main module's exports are not converted, and its path may hold ' and \\",
          (rc, out, err) == (0, "true\n", ""), (rc, out, err))

# --- Module or classic script -----------------------------------------------------------------

rc, out, err = run(fx("detect", "plain.mjs"))
check(".mjs runs as a module even without module syntax", (rc, out) == (0, "undefined false\n"),
      (rc, out, err))
rc, out, err = run(fx("detect", "classic.js"))
check(".js valid as a classic script runs classic (var is a global property)",
      (rc, out) == (0, "object true\n"), (rc, out, err))
rc, out, err = run(fx("detect", "classic.cjs"))
check(".cjs runs as a classic script", (rc, out) == (0, "object true\n"), (rc, out, err))
rc, out, err = run(fx("detect", "with.js"))
check(".js using `with` runs classic", (rc, out) == (0, "with works\n"), (rc, out, err))
rc, out, err = run(fx("detect", "await-name.js"))
check(".js using `await` as an identifier runs classic", (rc, out) == (0, "await as an identifier\n"),
      (rc, out, err))
rc, out, err = run(fx("detect", "dynamic-only.js"))
check(".js with only import() runs classic, and import() works", (rc, out) == (0, "dep x classic\n"),
      (rc, out, err))
rc, out, err = run(fx("detect", "import.js"))
check(".js with an import declaration runs as a module", (rc, out) == (0, "dep x true\n"), (rc, out, err))
rc, out, err = run(fx("detect", "export.js"))
check(".js with an export declaration runs as a module", (rc, out) == (0, "export true\n"), (rc, out, err))
rc, out, err = run(fx("detect", "tla.js"))
check(".js with top-level await runs as a module", (rc, out) == (0, "tla true\n"), (rc, out, err))
rc, out, err = run(fx("detect", "meta.js"))
check(".js with import.meta runs as a module", (rc, out) == (0, url(fx("detect", "meta.js")) + "\n"),
      (rc, out, err))
invalid = fx("detect", "invalid.js")
rc, out, err = run(invalid)
check(".js invalid both ways: SyntaxError with file:line:column",
      rc == 1 and "SyntaxError" in err and f"{invalid}:2:16" in err, (rc, err))

rc, out, err = run(fx("hashbang.mjs"))
check("a main module may start with a hashbang line", (rc, out) == (0, "hashbang dep x\n"), (rc, out, err))
rc, out, err = run(fx("bom.mjs"))
check("a main module may start with a byte order mark", (rc, out) == (0, "bom dep x\n"), (rc, out, err))

rc, out, err = run("--module", fx("detect", "classic.js"))
check("--module runs a classic-looking .js as a module", (rc, out) == (0, "undefined false\n"),
      (rc, out, err))
rc, out, err = run("--classic", fx("detect", "plain.mjs"))
check("--classic runs a .mjs as a classic script", (rc, out) == (0, "object true\n"), (rc, out, err))
rc, out, err = run("--classic", fx("detect", "import.js"))
check("--classic with an import declaration is a SyntaxError",
      rc == 1 and out == "" and "SyntaxError" in err, (rc, out, err))
rc, out, err = run("--module", fx("detect", "with.js"))
check("--module with `with` is a SyntaxError (module code is strict)",
      rc == 1 and out == "" and "SyntaxError" in err, (rc, out, err))

# --- -e ------------------------------------------------------------------------------------------

detect_dir = fx("detect")
rc, out, err = run("-e", "console.log(typeof this)")
check("-e with classic code runs classic", (rc, out) == (0, "object\n"), (rc, out, err))
rc, out, err = run("-e", "await 1; console.log(this === undefined)")
check("-e with top-level await runs as a module", (rc, out) == (0, "true\n"), (rc, out, err))
rc, out, err = run("-e", "const m = await import('./dep.mjs'); console.log(m.x)", cwd=detect_dir)
check("-e with top-level await and import(), relative to the working directory",
      (rc, out) == (0, "dep x\n"), (rc, out, err))
rc, out, err = run("-e", "import { x } from './dep.mjs'; console.log(x)", cwd=detect_dir)
check("-e with an import declaration, relative to the working directory",
      (rc, out) == (0, "dep x\n"), (rc, out, err))
rc, out, err = run("-e", "import('./dep.mjs').then((m) => console.log(m.x, typeof this))", cwd=detect_dir)
check("-e classic code with import()", (rc, out) == (0, "dep x object\n"), (rc, out, err))
rc, out, err = run("--module", "-e", "console.log(this === undefined)")
check("--module -e", (rc, out) == (0, "true\n"), (rc, out, err))
rc, out, err = run("--classic", "-e", "await 1")
check("--classic -e with top-level await is a SyntaxError", rc == 1 and "SyntaxError" in err, (rc, err))
rc, out, err = run("--classic", "-e", "import.meta")
check("--classic -e with import.meta is a SyntaxError", rc == 1 and "SyntaxError" in err, (rc, err))
rc, out, err = run("-e", "await Promise.reject(new RangeError('eval tla'))")
check("-e rejected top-level await: exit 1", rc == 1 and "RangeError: eval tla" in err, (rc, err))

# --- What a module sees ------------------------------------------------------------------------

rc, out, err = run(fx("args.mjs"), "a", "b c")
check("eddy.args in a module", (rc, out) == (0, "a|b c\n"), (rc, out, err))

meta = fx("meta-main.mjs")
expected_meta = f"{url(meta)}\n{url(fx('x.js'))}\n"
rc, out, err = run(meta)
check("import.meta.url and resolve() of the main module", (rc, out) == (0, expected_meta), (rc, out, err))
rc, out, err = run("meta-main.mjs", cwd=FIX)
check("import.meta.url is absolute when the main module is given by a relative path",
      (rc, out) == (0, expected_meta), (rc, out, err))
with tempfile.TemporaryDirectory() as d:
    rc, out, err = run(os.path.relpath(meta, d), cwd=d)
    check("and from another working directory (../ path)", (rc, out) == (0, expected_meta), (rc, out, err))

    script = fx("classic-dyn", "sub", "script.js")
    rc, out, err = run(script, cwd=d)
    check("import() from a classic script resolves against the script's file",
          rc == 0 and out.startswith("sub/dep.mjs true\ntop.mjs\n"), (rc, out, err))
    check("import() from a classic script: a missing module names the script as the importer",
          out.endswith(f"Cannot find module './nope.js' imported from {script}\n"), out)

rc, out, err = run("--preload", fx("preload", "preload.js"), fx("preload", "main.mjs"))
check("a classic preload's globals are visible to the main module",
      (rc, out) == (0, "set by the classic preload dep x\n"), (rc, out, err))

with tempfile.TemporaryDirectory() as d:
    rc, out, err = run("--preload", fx("preload", "preload-import.js"), fx("preload", "main-awaits-preload.mjs"),
                       cwd=d)
    check("import() in a classic preload resolves against the preload's file",
          (rc, out) == (0, "next to the preload\n"), (rc, out, err))

finish()
