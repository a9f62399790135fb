#!/usr/bin/env python3
"""Run web-platform-tests' .any.js files in eddy, and side by side in Node, Bun and Deno.

A developer tool, not part of the suite: CI has no WPT checkout and none is committed.
Fetch the files listed in tests/wpt/paths.txt (docs/testing.md says how) into a directory
laid out as the WPT repository, then:

    tests/wpt/run.py --wpt /tmp/wpt streams/readable-streams encoding/streams
    tests/wpt/run.py --wpt /tmp/wpt --engine eddy --engine node --engine bun --engine deno streams
    tests/wpt/run.py --wpt /tmp/wpt -v streams/piping/general.any.js   # failing subtests

Each file runs in a fresh process with its `// META: script=` files loaded first as classic
scripts of the same global, under a per-file time limit; `// META: global=` lines that name
no worker-like scope (window only, serviceworker only...) skip the file, `timeout=long`
doubles the limit and each `variant=` runs once with that location.search. A local HTTP
server on 127.0.0.1 serves the WPT directory, and location is the test's URL on it, so
relative fetch()es of resources work.
"""
import argparse
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict

import handlers
import ws_wpt_server

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHELL_GLOBALS = {'worker', 'dedicatedworker', 'dedicatedworker-module', 'jsshell', 'shadowrealm',
                 'shadowrealm-in-window', 'default', 'window', 'any'}
NEEDS_DOM_ONLY = {'window'}


def parse_meta(path):
    scripts, globals_, variants, long_timeout = [], None, [], False
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = re.match(r'\s*//\s*META:\s*(\w+)=(.*)$', line)
            if not m:
                if line.strip() and not line.lstrip().startswith('//'):
                    break
                continue
            key, value = m.group(1), m.group(2).strip()
            if key == 'script':
                scripts.append(value)
            elif key == 'global':
                globals_ = {g.strip() for g in value.split(',') if g.strip()}
            elif key == 'variant':
                variants.append(value)
            elif key == 'timeout' and value == 'long':
                long_timeout = True
    return scripts, globals_, variants, long_timeout


def runnable(globals_):
    """A file runs here unless its globals are all ones with a DOM or a service worker."""
    if globals_ is None:
        return True
    names = {g.split('-')[0] if g.startswith('dedicatedworker') else g for g in globals_}
    return bool(names & (SHELL_GLOBALS - NEEDS_DOM_ONLY))


def resolve_script(wpt, test_rel, script):
    script = script.split('?')[0]
    if script.startswith('/'):
        return os.path.join(wpt, script.lstrip('/'))
    return os.path.normpath(os.path.join(wpt, os.path.dirname(test_rel), script))


def collect(wpt, paths):
    files = []
    for p in paths:
        full = os.path.join(wpt, p)
        if os.path.isdir(full):
            for dirpath, dirnames, filenames in os.walk(full):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith('.any.js'):
                        files.append(os.path.relpath(os.path.join(dirpath, name), wpt))
        elif os.path.isfile(full):
            files.append(os.path.relpath(full, wpt))
        else:
            print('not found: %s' % p, file=sys.stderr)
    return files


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# A relative ws: URL resolves against the page, so WebSocket upgrades on this port too.
QuietHandler = ws_wpt_server.upgrade_class(QuietHandler)


def start_server(wpt):
    wpt_handler = handlers.handler_class(QuietHandler, wpt)
    handler = lambda *a, **kw: wpt_handler(*a, directory=wpt, **kw)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def engine_command(engine, args, scripts, test_file, config):
    if engine == 'eddy':
        cmd = [args.eddy, '--base-url', config['url']]
        for s in scripts:
            cmd += ['-r', s]
        return cmd + [test_file, json.dumps(config)]
    if engine == 'deno':
        # Deno's location (and so fetch()'s base URL) is the test's URL, as in a worker.
        return [args.deno, 'run', '-A', '--no-prompt', '--quiet', '--location', config['url'],
                os.path.join(HERE, 'deno_loader.js'), json.dumps(config)] + scripts + [test_file]
    exe = args.node if engine == 'node' else args.bun
    return [exe, os.path.join(HERE, 'node_loader.js'), json.dumps(config)] + scripts + [test_file]


def run_one(engine, args, wpt, rel, variant, port):
    meta_scripts, _, _, long_timeout = parse_meta(os.path.join(wpt, rel))
    limit = args.timeout * (2 if long_timeout else 1)
    url = 'http://127.0.0.1:%d/%s%s' % (port, rel, variant)
    config = {'url': url, 'timeout': int(limit * 1000 * 0.9), 'wrapFetch': engine in ('node', 'bun')}
    harness = os.path.join(HERE, 'harness.js')
    if args.testharness:
        harness = os.path.join(wpt, 'resources', 'testharness.js')
    scripts = [os.path.join(HERE, 'shim.js'), harness, os.path.join(HERE, 'report.js')]
    scripts += [resolve_script(wpt, rel, s) for s in meta_scripts]
    scripts = ws_wpt_server.fill_scripts(rel, scripts, meta_scripts, port)
    scripts = [handlers.substituted_copy(p, '127.0.0.1', port) for p in scripts]  # other .sub. files
    cmd = engine_command(engine, args, scripts, os.path.join(wpt, rel), config)
    env = dict(os.environ)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=0:detect_stack_use_after_return=0')
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              timeout=limit + 5, cwd=os.path.join(wpt, os.path.dirname(rel)))
        out, err, rc, killed = proc.stdout, proc.stderr, proc.returncode, False
    except subprocess.TimeoutExpired as e:
        out, err, rc, killed = e.stdout or b'', e.stderr or b'', None, True
    except OSError as e:
        out, err, rc, killed = b'', str(e).encode(), None, False
    elapsed = time.monotonic() - start
    results, harness_status = OrderedDict(), None
    for line in out.decode('utf-8', 'replace').splitlines():
        if line.startswith('##WPT '):
            try:
                r = json.loads(line[6:])
            except ValueError:
                continue
            results[r['name']] = r
        elif line.startswith('##WPT-DONE '):
            try:
                harness_status = json.loads(line[11:])
            except ValueError:
                pass
    if harness_status is None:
        why = 'KILLED (time limit)' if killed else 'CRASH (exit %s before completion)' % rc
        tail = err.decode('utf-8', 'replace').strip().splitlines()[-3:]
        harness_status = {'status': why, 'message': ' | '.join(tail)}
    return {'results': results, 'harness': harness_status, 'time': elapsed}


def summarize(file_results, engines):
    counts = {}
    for e in engines:
        rs = file_results[e]['results'].values()
        counts[e] = sum(1 for r in rs if r['status'] == 'PASS')
    total = max(len(file_results[e]['results']) for e in engines)
    return counts, total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('paths', nargs='*', help='files or directories relative to --wpt (default: every one in paths.txt)')
    ap.add_argument('--wpt', default=os.environ.get('WPT_DIR', '/tmp/wpt'), help='WPT checkout (default /tmp/wpt)')
    ap.add_argument('--engine', action='append', choices=['eddy', 'node', 'bun', 'deno'],
                    help='engines to run, repeatable (default eddy)')
    ap.add_argument('--eddy', default=os.environ.get('EDDY', os.path.join(ROOT, 'build', 'eddy')))
    ap.add_argument('--node', default=shutil.which('node') or 'node')
    ap.add_argument('--bun', default=os.path.join(ROOT, 'bench', 'node_modules', '.bin', 'bun'))
    ap.add_argument('--deno', default=os.environ.get('DENO', shutil.which('deno') or '/tmp/peers/node_modules/.bin/deno'),
                    help='Deno binary (npm install --prefix /tmp/peers deno)')
    ap.add_argument('--timeout', type=float, default=20, help='seconds per file (default 20)')
    ap.add_argument('--testharness', action='store_true',
                    help="load the checkout's resources/testharness.js instead of tests/wpt/harness.js")
    ap.add_argument('-v', '--verbose', action='store_true', help='print every subtest that does not pass')
    ap.add_argument('--json', help='write every result to this file')
    ap.add_argument('--gaps', action='store_true',
                    help='list every subtest that passes in another engine and not in eddy')
    args = ap.parse_args()
    engines = args.engine or ['eddy']
    args.eddy = os.path.abspath(args.eddy)
    for name in ('bun', 'deno'):
        if os.path.sep in getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))
    wpt = os.path.abspath(args.wpt)
    paths = args.paths
    if not paths:
        with open(os.path.join(HERE, 'paths.txt')) as f:
            listed = [l.strip() for l in f if l.strip() and not l.startswith('#')]
        paths = [p for p in listed if p.endswith('.any.js')]
    files = collect(wpt, paths)
    server = start_server(wpt)
    port = server.server_address[1]
    ws_wpt_server.start(files)
    by_dir = OrderedDict()
    everything = {}
    for rel in files:
        _, globals_, variants, _ = parse_meta(os.path.join(wpt, rel))
        if not runnable(globals_):
            print('%-60s skipped (global=%s)' % (rel, ','.join(sorted(globals_))))
            continue
        for variant in ws_wpt_server.variants(rel, variants) or ['']:
            name = rel + variant
            per_engine = {e: run_one(e, args, wpt, rel, variant, port) for e in engines}
            everything[name] = per_engine
            counts, total = summarize(per_engine, engines)
            d = by_dir.setdefault(os.path.dirname(rel), {'total': 0, 'files': 0, **{e: 0 for e in engines}})
            d['total'] += total
            d['files'] += 1
            for e in engines:
                d[e] += counts[e]
            cells = []
            for e in engines:
                h = per_engine[e]['harness']['status']
                cells.append('%s %d/%d%s %.1fs' % (e, counts[e], total, '' if h == 'OK' else ' [' + h + ']',
                                                   per_engine[e]['time']))
            print('%-60s %s' % (name, '  '.join(cells)), flush=True)
            if args.verbose:
                for e in engines:
                    h = per_engine[e]['harness']
                    if h['status'] != 'OK':
                        print('    %s harness %s: %s' % (e, h['status'], h.get('message')))
                    for r in per_engine[e]['results'].values():
                        if r['status'] != 'PASS':
                            print('    %s %s %s: %s' % (e, r['status'], r['name'], (r['message'] or '')[:300]))
    server.shutdown()
    print('\n%-44s %6s %6s %s' % ('directory', 'files', 'tests', ' '.join('%8s' % e for e in engines)))
    sums = {e: 0 for e in engines}
    total = 0
    for d, c in by_dir.items():
        print('%-44s %6d %6d %s' % (d, c['files'], c['total'], ' '.join('%8d' % c[e] for e in engines)))
        total += c['total']
        for e in engines:
            sums[e] += c[e]
    print('%-44s %6s %6d %s' % ('all', '', total, ' '.join('%8d' % sums[e] for e in engines)))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(everything, f, indent=1)
    if args.gaps and 'eddy' in engines:
        print_gaps(everything, [e for e in engines if e != 'eddy'])


def print_gaps(everything, peers):
    """Subtests some peer passes and eddy does not (a name eddy never reported counts too:
    names that embed a function's source text differ between engines, so check those by hand)."""
    gaps = 0
    for name, per_engine in everything.items():
        mine = per_engine['eddy']['results']
        passing = {}
        for p in peers:
            for sub, r in per_engine[p]['results'].items():
                if r['status'] == 'PASS':
                    passing.setdefault(sub, []).append(p)
        for sub, who in passing.items():
            r = mine.get(sub)
            if r is None or r['status'] != 'PASS':
                gaps += 1
                print('gap: %s | %s | eddy %s (%s passes): %s' % (
                    name, sub, r['status'] if r else 'not reported', ','.join(who),
                    ((r or {}).get('message') or '')[:200]))
    print('%d subtests pass in a peer and not in eddy' % gaps)


if __name__ == '__main__':
    main()
