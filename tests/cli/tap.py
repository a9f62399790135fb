"""What the CLI tests share: the environment they run eddy in, and TAP-style checks."""
import os
import sys

# The command takes OpenSSL's CA variables: a developer's own must not change what is tested.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}

_counts = {"checks": 0, "failures": 0}


def check(name, cond, detail=""):
    _counts["checks"] += 1
    if cond:
        print(f"ok - {name}")
    else:
        _counts["failures"] += 1
        print(f"not ok - {name}: {detail!r}")


def finish():
    """Prints the totals and exits non-zero if a check failed."""
    checks, failures = _counts["checks"], _counts["failures"]
    print(f"{checks - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)
