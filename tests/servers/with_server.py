#!/usr/bin/env python3
"""Runs a command with the test HTTP server up: starts tests/servers/httpserver.py --https,
appends its JSON line (base URLs, CA certificate) as the command's last argument, and stops the
server when the command ends. Exits with the command's status."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    cmd = sys.argv[1:]
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    server = subprocess.Popen([sys.executable, os.path.join(HERE, "httpserver.py"), "--https"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()
        if not line:
            print("with_server: the server did not start", file=sys.stderr)
            return 1
        return subprocess.call(cmd + [line])
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
