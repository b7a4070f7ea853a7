"""Running ffmpeg and ffprobe on untrusted uploads, with bounded memory and time.

Every ffmpeg and ffprobe the archive starts on a recording goes through run(). A hostile file
can make a filter grow without end (issue 10: a 37 KB FLAC of silence at 655 kHz made the
waveform filter reach 280 MB), so each child gets an address-space limit before it starts
(MEDIA_TOOL_MEMORY_MB; past it, ffmpeg's allocations fail and it exits with an error) and is
killed after a timeout. Its peak resident memory is measured (archive/limited_run.py) and
logged (at DEBUG; a failed or stopped run at WARNING), and tests and benchmarks can collect
it with measure_peaks()."""

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
_collectors: list[list] = []


@dataclass(frozen=True)
class ToolRun:
    returncode: int
    stdout: bytes
    stderr: bytes
    peak_bytes: int  # the child's peak resident memory
    seconds: float
    timed_out: bool


def run(args: list[str], *, timeout: float, label: str = "") -> ToolRun:
    """Run ffmpeg or ffprobe (`args`, a list) with the memory limit; never raises for its
    exit status: the caller turns a failure into a plain message."""
    limit = str(settings.MEDIA_TOOL_MEMORY_MB * 1024 * 1024)
    # Few malloc arenas: each thread's arena reserves 64 MB of address space it never uses.
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "LIMITED_RUN_PARENT": str(os.getpid())}
    with tempfile.TemporaryDirectory(prefix="tool-") as folder:
        report = os.path.join(folder, "peak")
        started = time.monotonic()
        # A session of its own, so a timeout stops the program with its runner.
        child = subprocess.Popen(  # noqa: S603 (a fixed argument list, never a shell)
            [sys.executable, "-I", "-S", RUNNER, limit, report, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        timed_out = False
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(child.pid, signal.SIGKILL)
            stdout, stderr = child.communicate()
        except BaseException:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            raise
        done = ToolRun(
            returncode=child.returncode,
            stdout=stdout,
            stderr=stderr,
            peak_bytes=_read_peak(report),
            seconds=time.monotonic() - started,
            timed_out=timed_out,
        )
    _report(args, label, done)
    return done


RUNNER = str(Path(__file__).with_name("limited_run.py"))


def bounded(args):
    """`args` wrapped to run under the same memory limit, for a caller that streams the
    program's output itself (Whisper's decoder) and so cannot use run()."""
    limit = str(settings.MEDIA_TOOL_MEMORY_MB * 1024 * 1024)
    return [sys.executable, "-I", "-S", RUNNER, limit, os.devnull, *args]


def _read_peak(report):
    try:
        return int(Path(report).read_text()) * 1024  # Linux reports kilobytes
    except (OSError, ValueError):
        return 0  # the runner itself was stopped


def _report(args, label, done):
    name = os.path.basename(args[0])
    # Every run at DEBUG (make run's console stays readable); a failure or timeout is a warning.
    level = logging.WARNING if done.returncode or done.timed_out else logging.DEBUG
    logger.log(
        level,
        "%s %s: exit %s, peak %.0f MB, %.1f s",
        name,
        label,
        done.returncode,
        done.peak_bytes / 2**20,
        done.seconds,
    )
    for collected in _collectors:
        collected.append((f"{name} {label}".strip(), done.peak_bytes))


@contextmanager
def measure_peaks():
    """Collect (label, peak bytes) for every tool run inside the block."""
    collected: list = []
    _collectors.append(collected)
    try:
        yield collected
    finally:
        _collectors.remove(collected)
