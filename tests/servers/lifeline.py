"""Shared by the test servers: stop when nobody can use the server any more."""
import os
import select
import signal
import stat
import threading


def lifeline(stop):
    """Set `stop` once nobody can use this server any more.

    Triggers: EOF on stdin when stdin is a pipe or socket (a /dev/null or
    tty stdin, as under popen(3) or ctest, is ignored rather than read as
    "stop now"); the reader of a piped stdout closing it (so popen(..., "r")
    + pclose() terminates us); the parent process dying; SIGTERM/SIGINT.
    """
    # Not stop.set() in the handler itself: the handler runs on the main thread, which may be
    # inside stop.wait() holding the Event's lock at that moment, and set() would then wait for
    # that lock forever (a test's teardown hung on it). A thread takes the lock once it is free.
    def on_signal(*_):
        threading.Thread(target=stop.set, daemon=True).start()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def is_pipe(fd):
        try:
            m = os.fstat(fd).st_mode
        except OSError:
            return False
        return stat.S_ISFIFO(m) or stat.S_ISSOCK(m)

    if is_pipe(0):
        def watch_stdin():
            # raw os.read: a daemon thread blocked inside the buffered
            # sys.stdin would abort the interpreter at shutdown
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            stop.set()
        threading.Thread(target=watch_stdin, daemon=True).start()

    ppid = os.getppid()
    out_pipe = stat.S_ISFIFO(os.fstat(1).st_mode) if is_pipe(1) else False

    def watch_parent():
        p = select.poll()
        if out_pipe:
            p.register(1, 0)  # a pipe's write end reports POLLERR once unread
        while not stop.is_set():
            if out_pipe and p.poll(200):
                break
            if not out_pipe:
                stop.wait(0.2)
            if os.getppid() != ppid:
                break
        stop.set()
    threading.Thread(target=watch_parent, daemon=True).start()
