// The extension module rerun._native: a thin binding of the C++ SDK under the pure-Python package
// (python/rerun/), which holds the documented names and semantics. This file maps calls,
// releases the GIL wherever the SDK may block (sinks, flushes, spawn), and raises RerunError for
// errors the SDK returns; the package turns those into warnings unless strict mode is on.
//
// The GIL is held while a row is logged: the SDK copies the row into its queue before log
// returns and never calls back into Python from its own threads.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <rerun.hpp>

#include "row.hpp"
#include "slots.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace rerun::python {

namespace {

// An error the SDK returned; Python sees rerun._native.RerunError (a RuntimeError).
struct SdkError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void raise_if_err(const Error& e) {
    if (e.is_err()) throw SdkError(e.description);
}

// One handle of a recording stream (the C++ handle is shared: copies log to the same stream).
struct Recording {
    RecordingStream rec;
};

std::string_view utf8_view(py::handle s, const char* what) {
    if (!PyUnicode_Check(s.ptr())) {
        throw py::type_error(std::string(what) + " must be a str, not " +
                             Py_TYPE(s.ptr())->tp_name);
    }
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
    if (text == nullptr) throw py::error_already_set();
    return {text, size_t(size)};
}

// Values of `kind` in set_time: how the int64 is to be read.
enum TimeKind : int { kAuto = 0, kSequence = 1, kDuration = 2, kTimestamp = 3 };

struct SpawnArgs {
    uint16_t port;
    std::string memory_limit;
    bool hide_welcome_screen;
    std::string executable_name;
    std::string executable_path;
    std::vector<std::string> extra_args;

    SpawnOptions options() const {
        SpawnOptions o;
        o.port = port;
        o.memory_limit = memory_limit;
        o.hide_welcome_screen = hide_welcome_screen;
        o.executable_name = executable_name;
        o.executable_path = executable_path;
        o.extra_args = extra_args;
        return o;
    }
};

void bind_recording(py::module_& m) {
    py::class_<MemorySink>(m, "MemorySink")
        .def(
            "take",
            [](const MemorySink& sink) {
                std::vector<uint8_t> bytes;
                {
                    py::gil_scoped_release release;
                    bytes = sink.take();
                }
                return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            },
            "Flushes the stream and returns a complete .rrd byte stream of everything since the "
            "previous take().")
        .def("size", &MemorySink::size, "Bytes held now (without flushing).");

    py::class_<Recording>(m, "Recording")
        .def(py::init([](const std::string& app_id, const std::string& recording_id,
                         bool default_enabled, bool blueprint) {
                 RecordingStreamOptions o;
                 o.store_kind = blueprint ? StoreKind::Blueprint : StoreKind::Recording;
                 o.default_enabled = default_enabled;
                 o.source_language = "python";
                 return Recording{RecordingStream(app_id, recording_id, o)};
             }),
             "application_id"_a, "recording_id"_a, "default_enabled"_a = true,
             "blueprint"_a = false)
        .def_property_readonly("enabled", [](const Recording& r) { return r.rec.is_enabled(); })
        .def_property_readonly("application_id",
                               [](const Recording& r) { return r.rec.get_application_id(); })
        .def_property_readonly("recording_id",
                               [](const Recording& r) { return r.rec.get_recording_id(); })
        .def(
            "log",
            [](const Recording& r, py::handle path, bool is_static, py::handle slots,
               py::handle values) {
                if (!r.rec.is_enabled()) return;
                raise_if_err(
                    log_row(r.rec, utf8_view(path, "entity_path"), is_static, slots, values));
            },
            "entity_path"_a, "static"_a, "slots"_a, "values"_a)
        .def(
            "set_time",
            [](const Recording& r, py::handle timeline, int kind, int64_t value) {
                const auto name = utf8_view(timeline, "timeline");
                switch (kind) {
                    case kSequence:
                        r.rec.set_time_sequence(name, value);
                        break;
                    case kDuration:
                        r.rec.set_time_duration_nanos(name, value);
                        break;
                    case kTimestamp:
                        r.rec.set_time_timestamp_nanos_since_epoch(name, value);
                        break;
                    default:
                        r.rec.set_time_nanos(name, value);
                        break;
                }
            },
            "timeline"_a, "kind"_a, "value"_a)
        .def("disable_timeline",
             [](const Recording& r, const std::string& name) { r.rec.disable_timeline(name); })
        .def("reset_time", [](const Recording& r) { r.rec.reset_time(); })
        .def(
            "connect_tcp",
            [](const Recording& r, const std::string& addr, float flush_timeout_sec) {
                Error e;
                {
                    py::gil_scoped_release release;
                    e = r.rec.connect_tcp(addr, flush_timeout_sec);
                }
                raise_if_err(e);
            },
            "addr"_a, "flush_timeout_sec"_a)
        .def(
            "connect_grpc",
            [](const Recording& r, const std::string& url) {
                Error e;
                {
                    py::gil_scoped_release release;
                    e = r.rec.connect_grpc(url);
                }
                raise_if_err(e);
            },
            "url"_a)
        .def(
            "save",
            [](const Recording& r, const std::string& path) {
                Error e;
                {
                    py::gil_scoped_release release;
                    e = r.rec.save(path);
                }
                raise_if_err(e);
            },
            "path"_a)
        .def("stdout",
             [](const Recording& r) {
                 Error e;
                 {
                     py::gil_scoped_release release;
                     e = r.rec.to_stdout();
                 }
                 raise_if_err(e);
             })
        .def("memory",
             [](const Recording& r) {
                 py::gil_scoped_release release;
                 return r.rec.memory();
             })
        .def("disconnect",
             [](const Recording& r) {
                 py::gil_scoped_release release;
                 r.rec.disconnect();
             })
        .def(
            "flush",
            [](const Recording& r, double timeout_sec) {
                Error e;
                {
                    py::gil_scoped_release release;
                    e = r.rec.flush_blocking(float(timeout_sec));
                }
                raise_if_err(e);
            },
            "timeout_sec"_a)
        .def(
            "spawn",
            [](const Recording& r, const SpawnArgs& args) {
                const SpawnOptions options = args.options();
                Error e;
                {
                    py::gil_scoped_release release;
                    e = r.rec.spawn(options);
                }
                raise_if_err(e);
            },
            "args"_a)
        .def("make_global",
             [](const Recording& r) {
                 // The C++ global too: it exports RERUN_RECORDING_ID to child processes.
                 set_global_data_recording(r.rec);
             })
        .def("stats",
             [](const Recording& r) {
                 const RecordingStats s = r.rec.stats();
                 py::dict d;
                 d["rows_logged"] = s.rows_logged;
                 d["rows_dropped"] = s.rows_dropped;
                 d["chunks_encoded"] = s.chunks_encoded;
                 d["bytes_encoded"] = s.bytes_encoded;
                 d["frames_dropped"] = s.frames_dropped;
                 d["bytes_dropped"] = s.bytes_dropped;
                 d["bytes_written"] = s.bytes_written;
                 d["reconnects"] = s.reconnects;
                 d["tcp_connected"] = s.tcp_connected;
                 return d;
             })
        .def("same_stream",
             [](const Recording& a, const Recording& b) { return a.rec.impl() == b.rec.impl(); });
}

}  // namespace

}  // namespace rerun::python

PYBIND11_MODULE(_native, m) {
    using namespace rerun::python;
    m.doc() = "The C++ SDK under `import rerun` (internal: use the rerun package).";
    py::register_exception<SdkError>(m, "RerunError", PyExc_RuntimeError);

    py::class_<SpawnArgs>(m, "SpawnArgs")
        .def(py::init<uint16_t, std::string, bool, std::string, std::string,
                      std::vector<std::string>>(),
             "port"_a, "memory_limit"_a, "hide_welcome_screen"_a, "executable_name"_a,
             "executable_path"_a, "extra_args"_a);
    bind_recording(m);

    m.def(
        "spawn_viewer",
        [](const SpawnArgs& args) {
            const rerun::SpawnOptions options = args.options();
            rerun::Error e;
            {
                py::gil_scoped_release release;
                e = rerun::spawn(options);
            }
            raise_if_err(e);
        },
        "args"_a, "Starts a viewer (or finds ours on the port) without connecting to it.");
    m.def("set_strict_mode", &rerun::set_strict_mode, "strict"_a);
    m.def("is_strict_mode", &rerun::is_strict_mode);
    m.def(
        "slot_table",
        [] {
            py::dict d;
            const auto slots = all_slots();
            for (size_t i = 0; i < slots.size(); ++i)
                d[py::str(std::string(slots[i]->component))] = i;
            return d;
        },
        "Component name (\"Points3D:positions\") -> the field index log() takes.");
    m.def(
        "getenv",
        [](const std::string& name) -> py::object {
            // The C environment, which set_global() updates for child processes; os.environ is
            // Python's copy from start-up.
            const char* v = std::getenv(name.c_str());
            if (v == nullptr) return py::none();
            return py::str(v);
        },
        "name"_a);
    m.def(
        "bench_log_scalars",
        [](const Recording& r, const std::string& path, int64_t n) {
            // The reference for bench/python: the same row logged from C++, n times.
            const auto t0 = std::chrono::steady_clock::now();
            for (int64_t i = 0; i < n; ++i)
                r.rec.log(path, rerun::Scalars(double(i)));
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        },
        "recording"_a, "entity_path"_a, "n"_a);
}
