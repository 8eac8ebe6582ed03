"""Run one program and report its wall time, CPU time and peak RSS as JSON on stdout.

Why a separate, small process: Linux keeps `ru_maxrss` across fork and exec, so a
child started by a large parent (the bench itself, with Textual imported)
inherits the parent's peak as its floor. Spawned from this tiny interpreter, the
floor is this process (~10 MiB), below anything measured. The timing starts
right before the spawn, so this wrapper's own start-up is not counted.

Usage: python bench/probe.py TIMEOUT PROGRAM [ARG...]   (PROGRAM: an absolute path)
"""

import json
import os
import signal
import sys
import time


def main() -> int:
    timeout, argv = float(sys.argv[1]), sys.argv[2:]
    devnull = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=devnull)
    signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
    signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    signal.setitimer(signal.ITIMER_REAL, 0)
    json.dump(
        {
            "exit": os.waitstatus_to_exitcode(status),
            "wall_ms": wall * 1000,
            "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
            "maxrss_mib": usage.ru_maxrss / 1024,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
