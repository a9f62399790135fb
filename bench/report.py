#!/usr/bin/env python3
"""Table for bench/run.sh: median over runs of each metric, per runtime,
with eddy/baseline ratios. Usage: report.py results.jsonl"""

import json
import statistics
import sys

RUNTIMES = ["eddy", "node", "bun", "floor"]

# (bench, key, label, floor source (bench, key-path) or None, higher_is_better)
METRICS = [
    ("timer_lateness", "median_us", "timer_lateness median us", ("epoll_floor", ["median_us"]), False),
    ("timer_lateness", "p99_us", "timer_lateness p99 us", ("epoll_floor", ["p99_us"]), False),
    ("timer_lateness", "min_us", "timer_lateness min us (<0 = early)", ("epoll_floor", ["min_us"]), None),
    ("timer_chain", "total_ms", "timer_chain 20k x setTimeout(0) ms", None, False),
    ("fetch_seq", "median_us", "fetch_seq 2B median us", ("raw_curl", ["fetch_seq", "median_us"]), False),
    ("fetch_seq", "p99_us", "fetch_seq 2B p99 us", ("raw_curl", ["fetch_seq", "p99_us"]), False),
    ("fetch_concurrent", "rps", "fetch_concurrent x64 req/s", ("raw_curl", ["fetch_concurrent", "rps"]), True),
    ("fetch_64k", "median_us", "fetch_64k median us", ("raw_curl", ["fetch_64k", "median_us"]), False),
]


def dig(d, path):
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def main():
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    errors = {}
    by = {}  # (bench, runtime) -> [records]
    for r in rows:
        if "error" in r:
            errors[(r["bench"], r["runtime"])] = r["error"]
            continue
        by.setdefault((r["bench"], r["runtime"]), []).append(r)

    def value(bench, runtime, path):
        vals = [v for v in (dig(r, path) for r in by.get((bench, runtime), [])) if v is not None]
        return statistics.median(vals) if vals else None

    table = []
    for bench, key, label, floor, higher in METRICS:
        vals = {rt: value(bench, rt, [key]) for rt in ("eddy", "node", "bun")}
        vals["floor"] = value(floor[0], "floor", floor[1]) if floor else None
        if all(v is None for v in vals.values()):
            continue
        ratios = {}
        for base in ("node", "bun", "floor"):
            e, b = vals["eddy"], vals[base]
            ratios[base] = e / b if e is not None and b not in (None, 0) and higher is not None else None
        table.append((label, vals, ratios, higher))

    def fmt(v):
        if v is None:
            return "-"
        return "%.0f" % v if abs(v) >= 100 else "%.1f" % v

    def fmt_ratio(r):
        return "-" if r is None else "%.2fx" % r

    hdr = ["metric", "eddy", "node", "bun", "floor", "eddy/node", "eddy/bun", "eddy/floor"]
    out = [hdr]
    for label, vals, ratios, higher in table:
        out.append([label] + [fmt(vals[rt]) for rt in RUNTIMES] +
                   [fmt_ratio(ratios[b]) for b in ("node", "bun", "floor")])
    widths = [max(len(row[i]) for row in out) for i in range(len(hdr))]
    for j, row in enumerate(out):
        print("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                        for i, c in enumerate(row)))
        if j == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("Ratios: for us/ms lower is better (<1x = eddy faster); for req/s higher is better.")
    print("floor = bench/epoll_floor (timers) or bench/raw_curl (fetch): C, no JS.")
    for (bench, rt), err in sorted(errors.items()):
        print("failed: %s under %s: %s" % (bench, rt, err))


if __name__ == "__main__":
    main()
