"""python limited_run.py LIMIT_BYTES REPORT_PATH PROGRAM [ARGS...]

Run one program with an address-space limit and write its peak resident memory (in KB) to
REPORT_PATH; exit with its status. archive.mediatools starts ffmpeg and ffprobe through this
small, separate process because a child forked straight from the web server or the worker
counts that process's memory as part of its own peak, which would hide the program's.
Both this runner and the program die with their parent: a worker killed with kill -9 must
not leave an ffmpeg converting for hours that nobody will use (issue 10)."""

import ctypes
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent):
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(137)


def main(argv):
    die_with_parent(int(os.environ.get("LIMITED_RUN_PARENT", os.getppid())))
    limit, report, args = int(argv[1]), argv[2], argv[3:]
    me = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: limit, then become the program
        try:
            die_with_parent(me)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            # S606: the argument list mediatools gives (ffmpeg or ffprobe and its arguments).
            os.execvp(args[0], args)  # noqa: S606
        finally:
            os._exit(127)
    _pid, status, usage = os.wait4(pid, 0)
    with open(report, "w") as out:
        out.write(str(usage.ru_maxrss))
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code  # killed by a signal: 128 + its number


if __name__ == "__main__":
    sys.exit(main(sys.argv))
