"""The API surface of `import rerun as rr`: recordings and their ids, global / thread-local / with,
sinks, time, archetypes from numpy arrays and lists, strict mode, RERUN=off.

What was logged is read back by the real tools: memory recordings' bytes are written to a file
and read with `rerun rrd verify` and `rerun rrd print -v`.
"""

from __future__ import annotations

import datetime
import inspect
import os
import tempfile
import threading
import unittest
import uuid
import warnings

import numpy as np
import rerun as rr
from support import rrd_bytes_print, rrd_print


class RerunTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self._saved_env = {k: os.environ.get(k) for k in ("RERUN", "RERUN_RECORDING_ID", "RERUN_FLUSH_NUM_ROWS", "RERUN_STRICT")}
        os.environ.pop("RERUN_STRICT", None)  # the tests of strict mode set it themselves
        rr.set_global_data_recording(None)
        rr.set_thread_local_data_recording(None)
        rr.set_strict_mode(False)

    def tearDown(self) -> None:
        rr.set_global_data_recording(None)
        rr.set_thread_local_data_recording(None)
        rr.set_strict_mode(False)
        for k, v in self._saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def recording(self, name: str) -> tuple[rr.RecordingStream, rr.MemoryRecording]:
        rec = rr.new_recording(f"test_{name}", recording_id=f"{name}-{uuid.uuid4()}")
        return rec, rec.memory_recording()


class TestRecordings(RerunTestCase):
    def test_documented_functions_exist_and_take_recording_as_methods(self) -> None:
        for name in (
            "init", "new_recording", "connect", "connect_tcp", "connect_grpc", "disconnect", "spawn",
            "save", "stdout", "memory_recording", "get_application_id", "get_recording_id", "is_enabled",
            "get_data_recording", "get_global_data_recording", "set_global_data_recording",
            "get_thread_local_data_recording", "set_thread_local_data_recording", "log", "set_time",
            "set_time_sequence", "set_time_seconds", "set_time_nanos", "disable_timeline", "reset_time",
            "set_strict_mode", "flush",
        ):  # fmt: skip
            self.assertTrue(callable(getattr(rr, name, None)), f"rr.{name} is missing")

    def test_every_function_taking_recording_is_a_method(self) -> None:
        # Found by signature, not listed: a new function with `recording=` must be a method too.
        taking = sorted(
            name
            for name, fn in vars(rr).items()
            if not name.startswith("_") and inspect.isfunction(fn) and "recording" in inspect.signature(fn).parameters
        )
        # The discovery itself works (the documented ones are among them).
        self.assertLessEqual(
            {"log", "connect", "connect_tcp", "disconnect", "spawn", "save", "stdout", "memory_recording", "flush",
             "set_time", "set_time_sequence", "reset_time", "get_application_id", "get_recording_id", "is_enabled",
             "get_data_recording"},
            set(taking),
        )  # fmt: skip
        missing = [name for name in taking if not callable(getattr(rr.RecordingStream, name, None))]
        self.assertEqual(missing, [], "functions taking recording= that are not RecordingStream methods")
        # A method is the function with recording=self.
        rec, mem = self.recording("methods")
        other, _ = self.recording("methods_other")
        rr.set_global_data_recording(other)
        self.assertEqual(rec.get_data_recording(), rec)
        self.assertEqual(rr.get_data_recording(), other)
        self.assertEqual(rec.get_recording_id(), rr.get_recording_id(recording=rec))
        for name in taking:
            self.assertEqual(getattr(rr.RecordingStream, name).__doc__, getattr(rr, name).__doc__, name)
        rec.set_time("frame", sequence=1)
        rec.log("x", rr.Scalars(1.0))
        self.assertEqual(rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()].timelines["frame"], "sequence")

    def test_init_makes_the_global_recording_and_exports_its_id(self) -> None:
        rr.init("test_init", recording_id="init-id-1")
        self.assertEqual(rr.get_application_id(), "test_init")
        self.assertEqual(rr.get_recording_id(), "init-id-1")
        self.assertTrue(rr.is_enabled())
        self.assertIsNotNone(rr.get_global_data_recording())
        self.assertEqual(rr.get_data_recording(), rr.get_global_data_recording())
        self.assertEqual(os.environ["RERUN_RECORDING_ID"], "init-id-1")

    def test_default_recording_id_is_one_per_process_and_explicit_ids_differ(self) -> None:
        a = rr.new_recording("test_default_a")
        b = rr.new_recording("test_default_b")
        self.assertEqual(a.get_recording_id(), b.get_recording_id())
        uuid.UUID(a.get_recording_id())  # a UUID
        c = rr.new_recording("test_default_c", recording_id=uuid.uuid4())
        self.assertNotEqual(c.get_recording_id(), a.get_recording_id())
        self.assertNotEqual(a, c)
        self.assertIn("test_default_c", repr(c))

    def test_memory_recording_bytes_decode(self) -> None:
        rec, mem = self.recording("memory")
        rec.set_time("frame", sequence=3)
        rec.log("world/points", rr.Points3D([[0, 0, 0], [1, 1, 1], [2, 2, 2]], radii=0.5, colors=[255, 0, 0]))
        rec.log("metrics/x", rr.Scalars(1.5))
        rec.log("readme", rr.TextDocument("# hi", media_type=rr.MediaType.MARKDOWN), static=True)
        data = mem.drain_as_bytes()
        self.assertIsInstance(data, bytes)
        recordings = rrd_bytes_print(data)
        self.assertEqual(list(recordings), [rec.get_recording_id()])
        r = recordings[rec.get_recording_id()]
        self.assertEqual(r.application_id, "test_memory")
        self.assertEqual(r.producers, ["python"])
        self.assertEqual(r.entities, {"/world/points": 1, "/metrics/x": 1, "/readme": 1})
        self.assertEqual(r.components["/world/points"], {"Points3D:positions": 3, "Points3D:radii": 1, "Points3D:colors": 1})
        self.assertEqual(r.timelines["frame"], "sequence")
        # Drained: the next drain holds only what came after.
        rec.log("metrics/x", rr.Scalars(2.5))
        again = rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()]
        self.assertEqual(again.entities, {"/metrics/x": 1})

    def test_save_writes_a_file(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "saved.rrd")
            rec = rr.new_recording("test_save", recording_id="save-1")
            rec.save(path)
            for i in range(5):
                rec.set_time_sequence("step", i)
                rec.log("x", rr.Scalars(float(i)))
            rec.disconnect()
            r = rrd_print(path)["save-1"]
            self.assertEqual(r.entities, {"/x": 5})
            self.assertTrue(r.ended_cleanly)


class TestActiveRecording(RerunTestCase):
    def test_thread_local_recording_wins_over_the_global_one_in_its_thread_only(self) -> None:
        glob, glob_mem = self.recording("global")
        local, local_mem = self.recording("local")
        rr.set_global_data_recording(glob)
        seen: dict[str, object] = {}

        def worker() -> None:
            self.assertIsNone(rr.set_thread_local_data_recording(local))
            seen["data"] = rr.get_data_recording()
            seen["local"] = rr.get_thread_local_data_recording()
            rr.log("from_worker", rr.Scalars(1.0))

        t = threading.Thread(target=worker)
        t.start()
        t.join()
        rr.log("from_main", rr.Scalars(2.0))
        self.assertEqual(seen["data"], local)
        self.assertEqual(seen["local"], local)
        self.assertIsNone(rr.get_thread_local_data_recording())
        self.assertEqual(rr.get_data_recording(), glob)
        self.assertEqual(rrd_bytes_print(glob_mem.drain_as_bytes())[glob.get_recording_id()].entities, {"/from_main": 1})
        self.assertEqual(rrd_bytes_print(local_mem.drain_as_bytes())[local.get_recording_id()].entities, {"/from_worker": 1})

    def test_with_block_makes_the_recording_active_for_the_block(self) -> None:
        glob, glob_mem = self.recording("with_global")
        outer, outer_mem = self.recording("with_outer")
        inner, inner_mem = self.recording("with_inner")
        rr.set_global_data_recording(glob)
        with outer as entered:
            self.assertIs(entered, outer)
            rr.log("a", rr.Scalars(1.0))
            with inner:
                self.assertEqual(rr.get_data_recording(), inner)
                rr.log("b", rr.Scalars(1.0))
            rr.log("c", rr.Scalars(1.0))
        rr.log("d", rr.Scalars(1.0))
        self.assertIsNone(rr.get_thread_local_data_recording())
        self.assertEqual(rrd_bytes_print(outer_mem.drain_as_bytes())[outer.get_recording_id()].entities, {"/a": 1, "/c": 1})
        self.assertEqual(rrd_bytes_print(inner_mem.drain_as_bytes())[inner.get_recording_id()].entities, {"/b": 1})
        self.assertEqual(rrd_bytes_print(glob_mem.drain_as_bytes())[glob.get_recording_id()].entities, {"/d": 1})

    def test_without_any_recording_calls_do_nothing(self) -> None:
        self.assertIsNone(rr.get_data_recording())
        self.assertIsNone(rr.get_recording_id())
        self.assertFalse(rr.is_enabled())
        rr.log("nowhere", rr.Scalars(1.0))
        rr.set_time("frame", sequence=1)
        self.assertEqual(rr.memory_recording().drain_as_bytes(), b"")


class TestEnvironment(RerunTestCase):
    def test_rerun_off_disables_and_rerun_on_overrides_default_enabled(self) -> None:
        os.environ["RERUN"] = "off"
        rec = rr.new_recording("test_off", recording_id="off-1")
        self.assertFalse(rec.is_enabled())
        mem = rec.memory_recording()
        rec.log("x", rr.Scalars(1.0))
        self.assertEqual(mem.drain_as_bytes(), b"")
        self.assertEqual(rec.stats()["rows_logged"], 0)
        os.environ.pop("RERUN")
        self.assertFalse(rr.new_recording("test_default_off", default_enabled=False).is_enabled())
        os.environ["RERUN"] = "on"
        self.assertTrue(rr.new_recording("test_on", default_enabled=False).is_enabled())

    def test_flush_variables_reach_the_cpp_batcher(self) -> None:
        # RERUN_FLUSH_NUM_ROWS=1: every row is flushed (and encoded) on its own.
        os.environ["RERUN_FLUSH_NUM_ROWS"] = "1"
        rec, mem = self.recording("flush_rows")
        for i in range(4):
            rec.log("x", rr.Scalars(float(i)))
        rec.flush()
        self.assertEqual(rec.stats()["chunks_encoded"], 4)
        mem.drain_as_bytes()


class TestTime(RerunTestCase):
    def test_timeline_types_of_the_set_time_forms(self) -> None:
        rec, mem = self.recording("time")
        rec.set_time("frame", sequence=7)
        rec.set_time("elapsed", duration=datetime.timedelta(seconds=1.5))
        rec.set_time("wall", timestamp=datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc))
        rec.set_time("np_elapsed", duration=np.timedelta64(250, "ms"))
        rec.set_time("np_wall", timestamp=np.datetime64("2024-05-01T12:00:00"))
        rec.set_time_seconds("sim_seconds", 2.5)  # small: a duration
        rec.set_time_seconds("epoch_seconds", 1.7e9)  # >= 1e9: a timestamp
        rec.set_time_nanos("sim_nanos", 10)
        rec.set_time_sequence("step", 1)
        rec.log("x", rr.Scalars(1.0))
        t = rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()].timelines
        self.assertEqual(t["frame"], "sequence")
        self.assertEqual(t["step"], "sequence")
        for name in ("elapsed", "np_elapsed", "sim_seconds", "sim_nanos"):
            self.assertEqual(t[name], "duration", name)
        for name in ("wall", "np_wall", "epoch_seconds", "log_time"):
            self.assertEqual(t[name], "timestamp", name)

    def test_disable_timeline_and_reset_time(self) -> None:
        rec, mem = self.recording("time_reset")
        rec.set_time("a", sequence=1)
        rec.set_time("b", sequence=1)
        rec.log("x", rr.Scalars(1.0))
        rec.disable_timeline("a")
        rec.log("x", rr.Scalars(1.0))
        rec.reset_time()
        rec.log("x", rr.Scalars(1.0))
        text_rows = rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()]
        self.assertEqual(text_rows.entities, {"/x": 3})
        self.assertEqual(text_rows.timeline_rows["a"], 1)
        self.assertEqual(text_rows.timeline_rows["b"], 2)

    def test_static_rows_have_no_timeline(self) -> None:
        rec, mem = self.recording("static")
        rec.set_time("frame", sequence=1)
        rec.log("coords", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
        r = rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()]
        self.assertEqual(r.entities, {"/coords": 1})
        self.assertNotIn("frame", r.timelines)


class TestArchetypes(RerunTestCase):
    def test_every_archetype_logs_from_numpy_and_lists(self) -> None:
        rr.set_strict_mode(True)  # any conversion problem raises
        rec, mem = self.recording("archetypes")
        pts = np.arange(12, dtype=np.float64).reshape(4, 3)
        rec.log("points3d", rr.Points3D(pts, colors=np.full((4, 3), 0.5), radii=[0.1, 0.2, 0.3, 0.4], labels=["a", "b", "c", "d"], class_ids=np.arange(4), show_labels=True))
        rec.log("points2d", rr.Points2D([[0, 0], [1, 1]], draw_order=2.0, keypoint_ids=[1, 2]))
        rec.log("boxes3d", rr.Boxes3D(sizes=[[2, 2, 2], [1, 1, 1]], centers=[[0, 0, 1], [3, 0, 0]], rotation_axis_angles=[rr.RotationAxisAngle(axis=[0, 0, 1], degrees=45), rr.RotationAxisAngle(axis=[1, 0, 0], radians=0.5)], quaternions=rr.Quaternion(xyzw=[0, 0, 0, 1]), fill_mode="solid"))
        rec.log("boxes2d", rr.Boxes2D(mins=[[0, 0], [2, 2]], sizes=[[1, 1], [2, 2]], labels="box"))
        rec.log("strips3d", rr.LineStrips3D([[[0, 0, 0], [1, 0, 0]], np.zeros((5, 3))], radii=0.01))
        rec.log("strips2d", rr.LineStrips2D(np.zeros((3, 4, 2), dtype=np.float32)))
        rec.log("arrows3d", rr.Arrows3D(vectors=[[1, 0, 0]], origins=[[0, 0, 0]]))
        rec.log("arrows2d", rr.Arrows2D(vectors=np.ones((2, 2))))
        rec.log("series/x", rr.Scalars(np.array([1.0, 2.0])))
        rec.log("series/y", rr.Scalar(3))
        rec.log("series", rr.SeriesLines(colors=[255, 0, 0], widths=2.0, names=["x"]), static=True)
        rec.log("series_points", rr.SeriesPoints(markers=["circle", rr.MarkerShape.Cross], marker_sizes=[3.0, 4.0]), static=True)
        rec.log("log", rr.TextLog("hello", level=rr.TextLogLevel.WARN, color=0xFF0000FF))
        rec.log("doc", rr.TextDocument("plain"))
        rec.log("image/rgb", rr.Image(np.zeros((4, 6, 3), dtype=np.uint8)))
        rec.log("image/bgra", rr.Image(np.zeros((2, 2, 4), dtype=np.uint16), color_model="BGRA", opacity=0.5))
        rec.log("image/bytes", rr.Image(bytes=bytes(12), width=4, height=3))
        rec.log("depth", rr.DepthImage(np.ones((3, 5), dtype=np.float32), meter=1000.0, colormap="viridis"))
        rec.log("tf", rr.Transform3D(translation=[1, 2, 3], rotation=rr.RotationAxisAngle(axis=[0, 0, 1], degrees=90), scale=2.0))
        rec.log("tf2", rr.Transform3D(mat3x3=np.eye(3), from_parent=True))
        rec.log("camera", rr.Pinhole(focal_length=500.0, width=640, height=480, camera_xyz=rr.ViewCoordinates.RDF))
        rec.log("mesh", rr.Mesh3D(vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], triangle_indices=[[0, 1, 2]], vertex_colors=[[255, 0, 0]] * 3))
        rec.log("points3d", rr.Clear(recursive=False))
        c = rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()].components
        self.assertEqual(c["/points3d"]["Points3D:positions"], 4)
        self.assertEqual(c["/points3d"]["Points3D:labels"], 4)
        self.assertEqual(c["/points3d"]["Clear:is_recursive"], 1)
        self.assertEqual(c["/boxes3d"]["Boxes3D:rotation_axis_angles"], 2)
        self.assertEqual(c["/boxes3d"]["Boxes3D:half_sizes"], 2)
        self.assertEqual(c["/boxes2d"], {"Boxes2D:half_sizes": 2, "Boxes2D:centers": 2, "Boxes2D:labels": 1})
        self.assertEqual(c["/strips3d"]["LineStrips3D:strips"], 2)
        self.assertEqual(c["/strips2d"]["LineStrips2D:strips"], 3)
        self.assertEqual(c["/series/x"], {"Scalars:scalars": 2})
        self.assertEqual(c["/series_points"]["SeriesPoints:markers"], 2)
        self.assertEqual(c["/image/rgb"], {"Image:buffer": 1, "Image:format": 1})
        self.assertEqual(c["/depth"], {"DepthImage:buffer": 1, "DepthImage:format": 1, "DepthImage:meter": 1, "DepthImage:colormap": 1})
        self.assertEqual(set(c["/tf"]), {"Transform3D:translation", "Transform3D:rotation_axis_angle", "Transform3D:scale"})
        self.assertEqual(set(c["/tf2"]), {"Transform3D:mat3x3", "Transform3D:relation"})
        self.assertEqual(set(c["/camera"]), {"Pinhole:image_from_camera", "Pinhole:resolution", "Pinhole:camera_xyz"})
        self.assertEqual(c["/mesh"]["Mesh3D:vertex_colors"], 3)

    def test_values_arrive_unchanged_as_raw_columns(self) -> None:
        # Random data is incompressible, so its column bytes appear verbatim in the stream: the
        # float64, non-contiguous, list and packed-color inputs arrive exactly as the SDK's types.
        rng = np.random.default_rng(7)
        wide = rng.random((1000, 6))
        positions = wide[:, ::2]  # float64, not contiguous
        colors = rng.integers(0, 256, (1000, 4), dtype=np.uint8)
        radii = rng.random(1000).tolist()  # a list of Python floats
        labels = [rng.bytes(8).hex() for _ in range(200)]
        class_ids = rng.integers(0, 65535, 1000).tolist()
        rec, mem = self.recording("values")
        rec.log("a", rr.Points3D(positions, colors=colors, radii=radii, class_ids=class_ids))
        rec.log("b", rr.TextLog(labels[0]), rr.Points2D(wide[:200, :2], labels=labels))
        data = mem.drain_as_bytes()
        packed = (colors[:, 0].astype(np.uint32) << 24) | (colors[:, 1].astype(np.uint32) << 16) | (colors[:, 2].astype(np.uint32) << 8) | colors[:, 3]
        expectations = {
            "positions": np.ascontiguousarray(positions, dtype=np.float32).tobytes(),
            "colors": packed.astype("<u4").tobytes(),
            "radii": np.asarray(radii, dtype="<f4").tobytes(),
            "class_ids": np.asarray(class_ids, dtype="<u2").tobytes(),
            "points2d": np.ascontiguousarray(wide[:200, :2], dtype="<f4").tobytes(),
            "labels": "".join(labels).encode(),
        }
        for name, expected in expectations.items():
            self.assertIn(expected, data, f"{name}: the logged values are not in the stream")

    def test_colors_conversions(self) -> None:
        from rerun._convert import colors

        self.assertEqual(colors([255, 0, 0]).tolist(), [0xFF0000FF])
        self.assertEqual(colors([1.0, 0.0, 0.0, 0.5]).tolist(), [0xFF000080])
        self.assertEqual(colors(np.array([[0, 0, 255], [1, 2, 3]], dtype=np.uint8)).tolist(), [0x0000FFFF, 0x010203FF])
        self.assertEqual(colors(0x11223344), 0x11223344)
        self.assertEqual(colors(np.array([1, 2, 3, 4, 5], dtype=np.uint32)).tolist(), [1, 2, 3, 4, 5])

    def test_several_archetypes_make_one_row(self) -> None:
        rec, mem = self.recording("one_row")
        rec.log("e", rr.Points3D([[0, 0, 0]]), rr.TextLog("both"))
        r = rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()]
        self.assertEqual(r.entities, {"/e": 1})
        self.assertEqual(set(r.components["/e"]), {"Points3D:positions", "TextLog:text"})


class TestStrictMode(RerunTestCase):
    def test_strict_mode_raises(self) -> None:
        rec, _ = self.recording("strict")
        rr.init("test_strict_init", recording_id="strict-init", strict=True)
        self.assertTrue(rr.strict_mode())
        with self.assertRaisesRegex(ValueError, r"Points3D:positions: expected 3 values"):
            rec.log("p", rr.Points3D([[1, 2]]))
        with self.assertRaisesRegex(TypeError, "expected an archetype"):
            rec.log("p", [1, 2, 3])
        with self.assertRaisesRegex(TypeError, "Points3D:labels: item 1 is a int"):
            rec.log("p", rr.Points3D([[1, 2, 3]], labels=["a", 2]))
        with self.assertRaisesRegex(ValueError, "out of range for u16"):
            rec.log("p", rr.Points3D([[1, 2, 3]], class_ids=70000))
        with self.assertRaises(rr.RerunError):
            rec.save("/nonexistent-dir/for/sure/x.rrd")
        with self.assertRaises(ValueError):
            rec.set_time("frame", sequence=1, duration=2.0)
        with self.assertRaises(ValueError):
            rr.Points3D([[0, 0, 0]], colors=[[1, 2]])
        rr.init("test_strict_none", recording_id="strict-none", strict=None)  # None leaves it on
        self.assertTrue(rr.strict_mode())
        rr.init("test_strict_default", recording_id="strict-default")  # the default is False
        self.assertFalse(rr.strict_mode())
        rr.set_strict_mode(True)
        rr.init("test_strict_false", recording_id="strict-false", strict=False)
        self.assertFalse(rr.strict_mode())

    def test_rerun_strict_turns_it_on_through_init(self) -> None:
        os.environ["RERUN_STRICT"] = "1"
        rr.init("test_strict_env", recording_id="strict-env")
        self.assertTrue(rr.strict_mode())
        rr.init("test_strict_env_false", recording_id="strict-env-false", strict=False)
        self.assertTrue(rr.strict_mode(), "RERUN_STRICT=1 asks for strict mode whatever init says")
        os.environ["RERUN_STRICT"] = "off"
        rr.init("test_strict_env_off", recording_id="strict-env-off")
        self.assertFalse(rr.strict_mode())
        rr.init("test_strict_env_true", recording_id="strict-env-true", strict=True)
        self.assertTrue(rr.strict_mode())

    def test_non_strict_mode_warns_and_goes_on(self) -> None:
        rec, mem = self.recording("lenient")
        with self.assertWarnsRegex(rr.RerunWarning, "Points3D:positions"):
            rec.log("bad", rr.Points3D([[1, 2]]))
        with self.assertWarns(rr.RerunWarning):
            rec.save("/nonexistent-dir/for/sure/x.rrd")
        with self.assertWarns(rr.RerunWarning):
            rr.log("p", [1, 2, 3], recording=rec)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rec.log("good", rr.Points3D([[1, 2, 3]]))
        self.assertEqual(rrd_bytes_print(mem.drain_as_bytes())[rec.get_recording_id()].entities, {"/good": 1})
        with self.assertRaises(ValueError):  # strict= overrides the mode for one call
            rec.log("bad", rr.Points3D([[1, 2]]), strict=True)


if __name__ == "__main__":
    unittest.main()
