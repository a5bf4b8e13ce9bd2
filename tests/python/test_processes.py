"""Several real processes: a multiprocessing pool logging into its parent's recording through a
headless viewer, the default Recording ID across processes, RERUN_RECORDING_ID, flushing at exit,
and the stdout sink."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import uuid

from support import HANG_GUARD_SEC, PYTHON, HeadlessViewer, child_env, rrd_bytes_print, rrd_print, run, run_python

HERE = os.path.dirname(os.path.abspath(__file__))


class TestMultiprocessingPool(unittest.TestCase):
    TASKS = 12
    ROWS = 50

    def pool_into_viewer(self, method: str, id_source: str) -> None:
        # child_env(): no RERUN_RECORDING_ID; with id_source="authkey" none is exported either.
        with tempfile.TemporaryDirectory() as tmp:
            viewer = HeadlessViewer(tmp)
            try:
                args = [os.path.join(HERE, "mp_pool_logger.py"), viewer.addr, method, id_source, str(self.TASKS), str(self.ROWS)]
                out = run([PYTHON, *args])
                stats = viewer.stop()
            finally:
                viewer.kill()
        report = json.loads(out.stdout.decode().strip().splitlines()[-1])
        parent_id = report["recording_id"]
        worker_pids = {pid for pid, _, _ in report["tasks"]}
        self.assertEqual({rid for _, rid, _ in report["tasks"]}, {parent_id}, "a worker chose another Recording ID")
        # How the workers knew it: the inherited variable, or (authkey) nothing but multiprocessing.
        seen = parent_id if id_source == "export" else None
        self.assertEqual([env for _, _, env in report["tasks"]], [[seen, seen]] * self.TASKS)
        self.assertNotIn(report["pid"], worker_pids)
        self.assertGreaterEqual(len(worker_pids), 1)

        recs = [r for r in stats["recordings"] if r["application_id"] == "rerun_test_multiprocessing"]
        self.assertEqual([r["recording_id"] for r in recs], [parent_id], "every row must land in the parent's recording")
        rec = recs[0]
        self.assertEqual(rec["rows"], 1 + self.TASKS * self.ROWS, json.dumps(rec["entities"], indent=1))
        self.assertEqual(rec["entities"]["/parent"]["rows"], 1)
        for i in range(self.TASKS):
            self.assertEqual(rec["entities"][f"/workers/task{i}"]["rows"], self.ROWS)
        # The senders: the parent and every worker that ran a task, all Python.
        source_pids = {int(m.group(1)) for s in rec["sources"] if (m := re.search(r"pid (\d+)", s["detail"]))}
        self.assertLessEqual(worker_pids | {report["pid"]}, source_pids)
        self.assertEqual({s["language"] for s in rec["sources"]}, {"python"})
        self.assertEqual(stats["hub"]["chunks_invalid"], 0)

    def test_pool_of_4_spawned_workers_logs_into_the_parents_recording_by_authkey(self) -> None:
        self.pool_into_viewer("spawn", "authkey")

    def test_pool_of_4_forked_workers_logs_into_the_parents_recording_by_authkey(self) -> None:
        self.pool_into_viewer("fork", "authkey")

    def test_pool_of_4_spawned_workers_joins_the_exported_global_recording(self) -> None:
        self.pool_into_viewer("spawn", "export")


DEFAULT_IDS = r"""
import json, multiprocessing, sys
import rerun as rr

def child_id(_):
    return rr.new_recording("child").get_recording_id()

if __name__ == "__main__":
    rr.init("parent")
    ids = {"parent": rr.get_recording_id()}
    for method in ("spawn", "fork"):
        with multiprocessing.get_context(method).Pool(1) as pool:
            ids[method] = pool.map(child_id, [0])[0]
    print(json.dumps(ids))
"""


# The authkey rule alone: the parent's recording is not the global one, so nothing exports
# RERUN_RECORDING_ID, and each process reports that neither os.environ nor the C environment
# holds it when its recording is made.
AUTHKEY_IDS = r"""
import json, multiprocessing, os
import rerun as rr

def default_id(_=None):
    env = [os.environ.get("RERUN_RECORDING_ID"), rr._native.getenv("RERUN_RECORDING_ID")]
    return {"id": rr.new_recording("authkey_test").get_recording_id(), "env": env}

if __name__ == "__main__":
    ids = {"parent": default_id()}
    for method in ("spawn", "fork"):
        ctx = multiprocessing.get_context(method)
        with ctx.Pool(1) as pool:
            ids[method] = pool.map(default_id, [0])[0]
        with ctx.Pool(1) as pool:  # a second pool: the same authkey, the same id
            ids[method + "_again"] = pool.map(default_id, [0])[0]
    print(json.dumps(ids))
"""


class TestDefaultRecordingId(unittest.TestCase):
    def ids(self, env: dict[str, str], script_text: str = DEFAULT_IDS) -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "ids.py")
            with open(script, "w") as f:
                f.write(script_text)
            return json.loads(run([PYTHON, script], env=env).stdout.decode())

    def test_children_join_the_exported_global_recording_and_unrelated_programs_do_not(self) -> None:
        # rr.init in the parent exports RERUN_RECORDING_ID; the children may read it.
        first = self.ids(child_env())
        self.assertEqual(first["spawn"], first["parent"])
        self.assertEqual(first["fork"], first["parent"])
        second = self.ids(child_env())
        self.assertNotEqual(second["parent"], first["parent"], "two unrelated programs share a Recording ID")

    def test_without_the_variable_children_derive_the_parents_id_from_the_authkey(self) -> None:
        first = self.ids(child_env(), AUTHKEY_IDS)
        for name, got in first.items():
            self.assertEqual(got["env"], [None, None], f"{name}: RERUN_RECORDING_ID was set")
            self.assertEqual(got["id"], first["parent"]["id"], f"{name}: not the parent's recording")
        uuid.UUID(first["parent"]["id"])
        second = self.ids(child_env(), AUTHKEY_IDS)
        self.assertNotEqual(second["parent"]["id"], first["parent"]["id"], "two unrelated programs share a Recording ID")
        self.assertEqual({got["id"] for got in second.values()}, {second["parent"]["id"]})

    def test_the_default_id_is_a_function_of_the_authkey(self) -> None:
        code = (
            "import multiprocessing, sys\nimport rerun as rr\n"
            "multiprocessing.current_process().authkey = sys.argv[1].encode()\n"
            "print(rr.new_recording('authkey_fn').get_recording_id())\n"
        )

        def default_id(key: str) -> str:
            return run_python(code, key).stdout.decode().strip()

        self.assertEqual(default_id("key-a"), default_id("key-a"))
        self.assertNotEqual(default_id("key-a"), default_id("key-b"))

    def test_rerun_recording_id_is_honoured_and_passed_on(self) -> None:
        ids = self.ids(child_env(RERUN_RECORDING_ID="inherited-id"))
        self.assertEqual(ids, {"parent": "inherited-id", "spawn": "inherited-id", "fork": "inherited-id"})

    def test_subprocesses_join_the_global_recording(self) -> None:
        code = (
            "import subprocess, sys\n"
            "import rerun as rr\n"
            "rr.init('parent', recording_id='explicit-parent-id')\n"
            "child = subprocess.run([sys.executable, '-c', 'import rerun as rr; print(rr.new_recording(\"c\").get_recording_id())'],"
            " capture_output=True, check=True)\n"
            "print(child.stdout.decode().strip())\n"
        )
        self.assertEqual(run_python(code).stdout.decode().strip(), "explicit-parent-id")


class TestExit(unittest.TestCase):
    def test_data_is_flushed_at_interpreter_exit(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "exit.rrd")
            code = (
                "import sys\nimport numpy as np\nimport rerun as rr\n"
                "rr.init('exit_test', recording_id='exit-1')\n"
                "rr.save(sys.argv[1])\n"
                "for i in range(1000):\n"
                "    rr.set_time('step', sequence=i)\n"
                "    rr.log('points', rr.Points3D(np.random.rand(100, 3)))\n"
            )
            run_python(code, path)
            rec = rrd_print(path)["exit-1"]
            self.assertEqual(rec.entities, {"/points": 1000})
            self.assertTrue(rec.ended_cleanly)

    def test_a_multiprocessing_child_flushes_before_os_exit(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            code = (
                "import multiprocessing, os, sys\nimport rerun as rr\n"
                "def child(path):\n"
                "    rec = rr.new_recording('child_exit', recording_id='child-exit-1')\n"
                "    rec.save(path)\n"
                "    for i in range(500):\n"
                "        rec.log('x', rr.Scalars(float(i)))\n"
                "    globals()['keep'] = rec  # alive until the process ends\n"
                "if __name__ == '__main__':\n"
                "    for method in ('fork', 'spawn'):\n"
                "        p = multiprocessing.get_context(method).Process(target=child, args=(os.path.join(sys.argv[1], method + '.rrd'),))\n"
                "        p.start(); p.join()\n"
                "        assert p.exitcode == 0, p.exitcode\n"
            )
            script = os.path.join(tmp, "child_exit.py")
            with open(script, "w") as f:
                f.write(code)
            run([PYTHON, script, tmp])
            for method in ("fork", "spawn"):
                rec = rrd_print(os.path.join(tmp, method + ".rrd"))["child-exit-1"]
                self.assertEqual(rec.entities, {"/x": 500}, method)
                self.assertTrue(rec.ended_cleanly, method)


SPAWN = r"""
import sys
import rerun as rr
rr.init("spawn_test", recording_id="spawn-1", strict=True)
rr.spawn(port=int(sys.argv[1]), memory_limit="100MB", extra_args=["--headless", "--stats-json", sys.argv[2]])
rr.log("spawned", rr.TextLog("hello"))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pids_with_argument(argument: str) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if argument.encode() in f.read().split(b"\0"):
                    pids.append(int(entry))
        except (OSError, ValueError):
            continue
    return pids


class TestSpawn(unittest.TestCase):
    def test_spawn_starts_a_viewer_and_connects(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            stats_path = os.path.join(tmp, "spawned-stats.json")
            # Output to a file, not a pipe: the detached viewer inherits it and keeps it open.
            with open(os.path.join(tmp, "out.txt"), "w+b") as out:
                args = [PYTHON, "-c", SPAWN, str(free_port()), stats_path]
                code = subprocess.run(args, stdout=out, stderr=out, env=child_env(), timeout=HANG_GUARD_SEC).returncode
                out.seek(0)
                self.assertEqual(code, 0, out.read().decode(errors="replace"))
            # The viewer outlives the program (detached): find it by its arguments and stop it.
            (pid,) = pids_with_argument(stats_path)
            os.kill(pid, signal.SIGINT)
            while os.path.exists(f"/proc/{pid}"):  # not our child: no waitpid
                time.sleep(0.05)
            with open(stats_path) as f:
                stats = json.load(f)
            (rec,) = stats["recordings"]
            self.assertEqual((rec["recording_id"], rec["rows"]), ("spawn-1", 1))

    def test_spawn_of_a_missing_viewer_is_an_error(self) -> None:
        code = (
            "import rerun as rr\n"
            "rr.init('spawn_missing', strict=True)\n"
            "try:\n"
            "    rr.spawn(port=1, executable_path='/nonexistent/rerun')\n"
            "except rr.RerunError as e:\n"
            "    print('raised:', e)\n"
        )
        self.assertIn("raised:", run_python(code).stdout.decode())


class TestStdout(unittest.TestCase):
    def test_stdout_sink_writes_an_rrd_stream(self) -> None:
        code = "import rerun as rr\nrr.init('stdout_test', recording_id='stdout-1')\nrr.stdout()\nrr.log('hello', rr.TextLog('world'))\n"
        data = run_python(code).stdout
        rec = rrd_bytes_print(data)["stdout-1"]
        self.assertEqual(rec.entities, {"/hello": 1})
        self.assertEqual(rec.producers, ["python"])


if __name__ == "__main__":
    unittest.main()
