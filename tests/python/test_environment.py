"""The environment variables the C++ SDK reads, set for real python3 processes: RERUN,
RERUN_FLUSH_TICK_SECS, RERUN_FLUSH_NUM_BYTES, RERUN_FLUSH_NUM_ROWS.

The batcher reads them when a recording is created, so each case is a fresh interpreter started
with the variables in its environment. Under a one-hour RERUN_FLUSH_TICK_SECS only an explicit
flush sends rows, and the chunks it makes show where RERUN_FLUSH_NUM_ROWS / _NUM_BYTES cut them;
with a short tick rows reach a file while the program still runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
import unittest

from support import HANG_GUARD_SEC, PYTHON, Recording, child_env, rrd_bytes_print, rrd_print, run_python

PRELUDE = r"""
import json, sys, time
import numpy as np
import rerun as rr
"""

# Rows into a memory sink under a one-hour tick: only the explicit flush sends them, cut into
# chunks by RERUN_FLUSH_NUM_ROWS / RERUN_FLUSH_NUM_BYTES.
TO_MEMORY = PRELUDE + r"""
rec = rr.new_recording("env_memory", recording_id="env-memory")
mem = rec.memory_recording()
rows, points = int(sys.argv[1]), int(sys.argv[2])
for i in range(rows):
    rec.set_time("step", sequence=i)
    if points:
        rec.log("x", rr.Points3D(np.zeros((points, 3), dtype=np.float32)))
    else:
        rec.log("x", rr.Scalars(float(i)))
rec.flush()
sys.stdout.buffer.write(mem.drain_as_bytes())
"""

# Rows into a file, without flushing; the parent reads the file while this process still runs.
ROWS_TO_FILE = PRELUDE + r"""
rr.init("env_rows_file", recording_id="env-rows-file")
rr.save(sys.argv[1])
for i in range(int(sys.argv[2])):
    rr.set_time("step", sequence=i)
    rr.log("x", rr.Scalars(float(i)))
print("logged", flush=True)
sys.stdin.read()  # the parent closes stdin when it has read the rows from the file
"""

# A long tick and nothing else: rows wait for the explicit flush, then make one chunk.
LONG_TICK = PRELUDE + r"""
rec = rr.new_recording("env_tick", recording_id="env-tick")
mem = rec.memory_recording()
rec.log("x", rr.Scalars(1.0))
time.sleep(0.3)  # six default ticks (0.05 s): without the variable the rows would split
rec.log("x", rr.Scalars(2.0))
before = rec.stats()["chunks_encoded"]
rec.flush()
print(json.dumps({"before_flush": before, "after_flush": rec.stats()["chunks_encoded"]}))
"""

# RERUN=off: nothing is logged to any sink, whatever default_enabled says.
RERUN_OFF = PRELUDE + r"""
rr.init("env_off", recording_id="env-off", default_enabled=True)
rr.save(sys.argv[1])
rec = rr.new_recording("env_off_mem", recording_id="env-off-mem")
mem = rec.memory_recording()
for i in range(10):
    rr.log("x", rr.Scalars(float(i)))
    rec.log("x", rr.Scalars(float(i)))
rr.flush()
rec.flush()
print(json.dumps({"enabled": [rr.is_enabled(), rec.is_enabled()], "rows": [rr.get_global_data_recording().stats()["rows_logged"], rec.stats()["rows_logged"]], "memory": len(mem.drain_as_bytes())}))
"""

LONG_TICK_ENV = {"RERUN_FLUSH_TICK_SECS": "3600"}


def json_line(code: str, *args: str, **env: str) -> dict:
    return json.loads(run_python(code, *args, env=child_env(**env)).stdout.decode().strip().splitlines()[-1])


class TestFlushVariables(unittest.TestCase):
    def memory_rows(self, rows: int, points: int, **env: str) -> Recording:
        """Runs TO_MEMORY; the recording its memory sink held, read back by `rerun rrd`."""
        proc = run_python(TO_MEMORY, str(rows), str(points), env=child_env(**LONG_TICK_ENV, **env))
        return rrd_bytes_print(proc.stdout)["env-memory"]

    def test_flush_num_rows_cuts_a_chunk_at_that_many_rows(self) -> None:
        for limit, chunks in (("1", 3), ("2", 2)):
            rec = self.memory_rows(3, 0, RERUN_FLUSH_NUM_ROWS=limit)
            self.assertEqual((rec.entities, rec.chunks), ({"/x": 3}, chunks), f"RERUN_FLUSH_NUM_ROWS={limit}")
        # Without it: the three rows wait for the flush together.
        rec = self.memory_rows(3, 0)
        self.assertEqual((rec.entities, rec.chunks), ({"/x": 3}, 1))

    def test_flush_num_bytes_cuts_a_chunk_at_that_many_bytes(self) -> None:
        # 1000 points are 12 kB of positions: over 10kB, every row is a chunk; under the default
        # 1 MiB (and with 100-point rows of 1.2 kB) they make one.
        rec = self.memory_rows(3, 1000, RERUN_FLUSH_NUM_BYTES="10kB")
        self.assertEqual((rec.entities, rec.chunks), ({"/x": 3}, 3))
        rec = self.memory_rows(3, 100, RERUN_FLUSH_NUM_BYTES="10kB")
        self.assertEqual((rec.entities, rec.chunks), ({"/x": 3}, 1))
        rec = self.memory_rows(3, 1000)
        self.assertEqual((rec.entities, rec.chunks), ({"/x": 3}, 1))

    def test_a_long_flush_tick_holds_rows_until_flush(self) -> None:
        got = json_line(LONG_TICK, **LONG_TICK_ENV)
        self.assertEqual(got, {"before_flush": 0, "after_flush": 1})

    def test_a_short_flush_tick_sends_rows_to_a_file_while_the_program_runs(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "rows.rrd")
            env = child_env(RERUN_FLUSH_TICK_SECS="0.02")
            args = [PYTHON, "-c", ROWS_TO_FILE, path, "3"]
            proc = subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                assert proc.stdout is not None and proc.stdin is not None
                self.assertEqual(proc.stdout.readline().decode().strip(), "logged")
                # A hang guard, not a timed assertion: the rows are expected within a tick.
                deadline = time.monotonic() + HANG_GUARD_SEC
                rows: dict[str, int] = {}
                while time.monotonic() < deadline and proc.poll() is None:
                    if os.path.getsize(path) > 0:
                        rec = rrd_print(path).get("env-rows-file")
                        rows = rec.entities if rec else {}
                        if rows == {"/x": 3}:
                            break
                    time.sleep(0.05)
                self.assertIsNone(proc.poll(), "the logger exited before its rows were read")
                self.assertEqual(rows, {"/x": 3}, "the rows did not reach the file while the logger ran")
                self.assertFalse(rrd_print(path)["env-rows-file"].ended_cleanly)
                proc.stdin.close()
                self.assertEqual(proc.wait(timeout=HANG_GUARD_SEC), 0, proc.stderr.read().decode() if proc.stderr else "")
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                for f in (proc.stdin, proc.stdout, proc.stderr):
                    if f is not None and not f.closed:
                        f.close()
            rec = rrd_print(path)["env-rows-file"]
            self.assertEqual((rec.entities, rec.ended_cleanly), ({"/x": 3}, True))

    def test_malformed_values_are_ignored_with_a_message(self) -> None:
        env = child_env(
            RERUN_FLUSH_NUM_ROWS="many",
            RERUN_FLUSH_TICK_SECS="soon",
            RERUN_FLUSH_NUM_BYTES="lots",
            RERUN_LOG_BLOCK_SECS="1e30",  # beyond what the clock's nanoseconds can hold
        )
        proc = run_python("import rerun as rr\nrr.new_recording('env_bad').log('x', rr.Scalars(1.0))\n", env=env)
        err = proc.stderr.decode()
        for message in (
            "ignoring RERUN_FLUSH_NUM_ROWS='many' (expected a row count)",
            "ignoring RERUN_FLUSH_TICK_SECS='soon' (expected seconds",
            "ignoring RERUN_FLUSH_NUM_BYTES='lots' (expected a size",
            "ignoring RERUN_LOG_BLOCK_SECS='1e30' (expected seconds up to 1000000",
        ):
            self.assertIn(message, err)


class TestRerunOff(unittest.TestCase):
    def test_rerun_off_logs_nothing(self) -> None:
        for value in ("off", "0", "false"):
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "off.rrd")
                got = json_line(RERUN_OFF, path, RERUN=value)
                self.assertEqual(got, {"enabled": [False, False], "rows": [0, 0], "memory": 0}, value)
                self.assertFalse(os.path.exists(path), f"RERUN={value}: a disabled recording wrote {path}")

    def test_rerun_on_logs_as_usual(self) -> None:
        # The same program with RERUN=on: the assertions above can fail.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "on.rrd")
            got = json_line(RERUN_OFF, path, RERUN="on")
            self.assertEqual(got["enabled"], [True, True])
            self.assertEqual(got["rows"], [10, 10])
            self.assertGreater(got["memory"], 0)
            self.assertEqual(rrd_print(path)["env-off"].entities, {"/x": 10})


if __name__ == "__main__":
    unittest.main()
