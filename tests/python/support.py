"""Helpers of the Python SDK tests: paths of the build, real processes (python3, the viewer, the
`rerun rrd` tools), and reading recordings back with `rerun rrd print -v`.

The environment comes from tests/python/CMakeLists.txt: RERUN_BUILD_DIR, RERUN_SOURCE_DIR,
RERUN_WORKFLOW_LOGGER, PYTHONPATH=<build>/python.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

BUILD_DIR = os.environ.get("RERUN_BUILD_DIR", "")
SOURCE_DIR = os.environ.get("RERUN_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
RERUN = os.path.join(BUILD_DIR, "rerun")
PYTHON = sys.executable
# A guard against hangs, not a timed assertion: nothing here is expected to take long.
HANG_GUARD_SEC = 120


def child_env(**extra: str) -> dict[str, str]:
    """This environment without the variables the SDK reads (each test sets what it needs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RERUN_FLUSH")}
    for name in ("RERUN", "RERUN_RECORDING_ID", "RERUN_STRICT"):
        env.pop(name, None)
    env.update(extra)
    return env


def run(args: list[str], *, env: dict[str, str] | None = None, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:  # noqa: A002
    """Runs a process to completion; fails with its output when it exits non-zero."""
    proc = subprocess.run(args, env=env or child_env(), input=input, capture_output=True, timeout=HANG_GUARD_SEC)
    if proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited with {proc.returncode}\n--- stdout\n{proc.stdout.decode(errors='replace')}"
            f"\n--- stderr\n{proc.stderr.decode(errors='replace')}"
        )
    return proc


def run_python(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Runs `code` in a fresh python3 (the one running the tests) with the package on its path."""
    return run([PYTHON, "-c", code, *args], env=env)


@dataclass
class Recording:
    """What `rerun rrd print -v` says about one recording."""

    recording_id: str
    application_id: str = ""
    producers: list[str] = field(default_factory=list)
    rows: int = 0
    ended_cleanly: bool = False
    chunks: int = 0
    timelines: dict[str, str] = field(default_factory=dict)  # name -> type
    timeline_rows: dict[str, int] = field(default_factory=dict)  # name -> rows on it
    entities: dict[str, int] = field(default_factory=dict)  # path -> rows
    components: dict[str, dict[str, int]] = field(default_factory=dict)  # path -> {component: instances}


def rrd_print(path: str) -> dict[str, Recording]:
    """The recordings of an .rrd file, by Recording ID, read by `rerun rrd print -v`."""
    text = run([RERUN, "rrd", "print", "-v", path]).stdout.decode()
    recordings: dict[str, Recording] = {}
    rec: Recording | None = None
    entity = ""
    for line in text.splitlines():
        if m := re.match(r"^recording (\S+)", line):
            rec = recordings.setdefault(m.group(1), Recording(m.group(1)))
        elif rec is None:
            continue
        elif m := re.match(r'^  application id: "(.*)"', line):
            rec.application_id = m.group(1)
        elif m := re.match(r"^  producer: (\S+)", line):
            rec.producers.append(m.group(1))
        elif m := re.match(r"^  \d+ entit(?:y|ies), (\d+) row\(s\).*, (\d+) chunk\(s\)", line):
            rec.rows = int(m.group(1))
            rec.chunks = int(m.group(2))
            rec.ended_cleanly = "ended cleanly" in line
        elif m := re.match(r"^    (\S+) \((\w+)\):.*, (\d+) row\(s\)", line):
            rec.timelines[m.group(1)] = m.group(2)
            rec.timeline_rows[m.group(1)] = int(m.group(3))
        elif m := re.match(r"^    (/\S*)  (\d+) row\(s\)", line):
            entity = m.group(1)
            rec.entities[entity] = int(m.group(2))
            rec.components[entity] = {}
        elif m := re.match(r"^      (\S+)  \S+  \S+  \d+ row\(s\), (\d+) instance\(s\)", line):
            rec.components[entity][m.group(1)] = int(m.group(2))
    return recordings


def rrd_bytes_print(data: bytes) -> dict[str, Recording]:
    """rrd_print of an .rrd byte stream (e.g. a memory recording's)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "memory.rrd")
        with open(path, "wb") as f:
            f.write(data)
        run([RERUN, "rrd", "verify", path])
        return rrd_print(path)


class HeadlessViewer:
    """`rerun --headless --port 0 --stats-json FILE`, as users run it; stop() returns the stats."""

    def __init__(self, workdir: str) -> None:
        self.stats_path = os.path.join(workdir, "stats.json")
        self.stderr = open(os.path.join(workdir, "viewer.err"), "w+b")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [RERUN, "--headless", "--port", "0", "--stats-json", self.stats_path],
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=child_env(),
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()  # the viewer's first line, or EOF if it died
        m = re.match(r"^rerun: listening on (127\.0\.0\.1:\d+)$", line.strip())
        if not m:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the viewer did not say where it listens: {line!r}\n{self._stderr()}")
        self.addr = m.group(1)

    def _stderr(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def stop(self) -> dict:
        """SIGINT (the viewer takes in what senders already sent, then exits) -> its stats."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=HANG_GUARD_SEC)
        if code != 0 or not os.path.exists(self.stats_path):
            raise AssertionError(f"the viewer exited with {code}\n{self._stderr()}")
        with open(self.stats_path) as f:
            return json.load(f)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.stderr.close()
