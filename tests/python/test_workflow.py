"""The shared-recording workflow across languages: a Python program (examples/python/
shared_recording.py) and a C++ program (tests/rrd/workflow_logger) log with the same Recording ID,
each saving its own file; `rerun rrd merge` makes one recording holding both, and the headless
viewer opening both files shows one recording with a Python and a C++ source."""

from __future__ import annotations

import json
import os
import tempfile
import unittest

from support import PYTHON, RERUN, SOURCE_DIR, child_env, rrd_print, run

WORKFLOW_LOGGER = os.environ.get("RERUN_WORKFLOW_LOGGER", "")
EXAMPLE = os.path.join(SOURCE_DIR, "examples", "python", "shared_recording.py")
MINIMAL = os.path.join(SOURCE_DIR, "examples", "python", "minimal.py")


class TestSharedRecordingAcrossLanguages(unittest.TestCase):
    def test_python_and_cpp_shards_merge_into_one_recording(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            cpp, py, merged = (os.path.join(tmp, n) for n in ("cpp.rrd", "python.rrd", "merged.rrd"))
            run([WORKFLOW_LOGGER, "spheres", cpp])
            run([PYTHON, EXAMPLE, py])
            self.assertEqual(list(rrd_print(py)), ["my_shared_recording"])

            run([RERUN, "rrd", "merge", "-o", merged, cpp, py])
            recordings = rrd_print(merged)
            self.assertEqual(list(recordings), ["my_shared_recording"], "the shards did not merge into one recording")
            rec = recordings["my_shared_recording"]
            self.assertEqual(rec.application_id, "rerun_example_shared_recording")
            self.assertEqual(sorted(rec.producers), ["cpp", "python"])
            self.assertEqual(rec.entities, {"/spheres": 10, "/updates": 1, "/python/ring": 10, "/python/height": 10})
            self.assertEqual(rec.timeline_rows["frame"], 30)  # both sides' frames on one timeline

            # The viewer (headless) opening both shards: one recording, two sources.
            stats_path = os.path.join(tmp, "stats.json")
            run([RERUN, "--headless", "--no-listen", "--stats-json", stats_path, cpp, py], env=child_env())
            with open(stats_path) as f:
                stats = json.load(f)
            self.assertEqual([r["recording_id"] for r in stats["recordings"]], ["my_shared_recording"])
            only = stats["recordings"][0]
            self.assertEqual(only["rows"], 31)
            self.assertEqual(sorted(s["language"] for s in only["sources"]), ["cpp", "python"])


class TestExamples(unittest.TestCase):
    def test_minimal_example_saves_its_grid(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "minimal.rrd")
            run([PYTHON, MINIMAL, path])
            (rec,) = rrd_print(path).values()
            self.assertEqual(rec.application_id, "rerun_example_minimal")
            self.assertEqual(rec.components["/my_points"], {"Points3D:positions": 1000, "Points3D:colors": 1000, "Points3D:radii": 1})


if __name__ == "__main__":
    unittest.main()
