"""Wall time, CPU time and peak memory of a command's whole process tree.

CPU time (user + system, from getrusage of the reaped children: a pool's workers and pandoc's
WeasyPrint included) is given beside wall time because the machine is shared: wall time
stretches with other people's load, CPU time much less.

Peak memory is sampled: every 50 ms the resident set sizes (RSS) of the process and of all its
descendants (pandoc's WeasyPrint child, a build's worker pool) are added up, and the largest sum
is kept. RSS counts pages shared between processes once per process, so a forked pool is
over-counted rather than under-counted. The proportional set sizes (PSS: a shared page counted
as its share in each process) are added up beside them, which counts a forked pool's pages once.
A peak shorter than 50 ms can be missed; the largest single process's own high-water mark
(getrusage) is taken as a floor of the RSS peak.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05
WATCH_LIMIT = 1200.0  # seconds a watcher may take for its first build and one rebuild


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    stdout: str = ""
    cpu: float | None = None  # user + system seconds of the whole (waited-for) process tree
    pss_mb: float = 0.0  # peak of the summed PSS


class TreeSampler:
    """Samples the summed RSS of a process and its descendants on a thread until stopped."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._known: dict[int, psutil.Process] = {}
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[psutil.Process]:
        try:
            found = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        # reuse Process objects so that a recycled pid is not mistaken for the same process
        return [self._known.setdefault(p.pid, p) for p in found]

    def sample(self) -> None:
        total = pss = 0
        for process in self._tree():
            try:
                total += process.memory_info().rss
                pss += getattr(process.memory_full_info(), "pss", 0)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        self.peak = max(self.peak, total)
        self.peak_pss = max(self.peak_pss, pss)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_SECONDS)


def run(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run cmd to completion; fail loudly (with its stderr) if it fails."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with TreeSampler(proc.pid) as sampler:
        stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-3000:]}")
    # ru_maxrss of RUSAGE_CHILDREN is the largest of any waited-for descendant, in KiB; it only
    # says something when this run set a new high-water mark for the bench process.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    floor = after * 1024 if after > before else 0
    return Run(seconds, max(sampler.peak, floor) / 2**20, stdout, cpu, sampler.peak_pss / 2**20)


def watch_rebuild(
    cmd: Sequence[str], edit: Callable[[], None], done_marker: str, env: dict[str, str]
) -> tuple[Run, Run]:
    """Start a long-running watcher, wait for its first build, make `edit`, and time until it
    reports the rebuild. Returns (first build, rebuild); peak memory covers both."""
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    # a rebuild that fails prints no marker: give up rather than wait for ever
    timer = threading.Timer(WATCH_LIMIT, proc.kill)
    timer.start()
    try:
        with TreeSampler(proc.pid) as sampler:
            start = time.perf_counter()
            _wait_for(proc, done_marker)
            first = Run(time.perf_counter() - start, sampler.peak / 2**20)
            time.sleep(1.0)  # let the watcher settle into waiting for changes
            start = time.perf_counter()
            edit()
            _wait_for(proc, done_marker)
            again = Run(time.perf_counter() - start, sampler.peak / 2**20)
    finally:
        timer.cancel()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return first, again


def _wait_for(proc: subprocess.Popen[str], marker: str) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if marker in line:
            return
    raise SystemExit(f"the watcher stopped before printing {marker!r} (exit {proc.wait()})")


def env_with_path(*folders: Path) -> dict[str, str]:
    """This environment with folders first on PATH (pandoc finds `weasyprint` there)."""
    path = os.pathsep.join([*(str(f) for f in folders), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path}
