// Errors and results. Every fallible SDK call returns a rerun::Error (or a rerun::Result<T>);
// none throws unless strict mode is on (set_strict_mode or RERUN_STRICT=1), in which case an
// error that would only be logged as a warning is thrown as a std::runtime_error.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace rerun {

enum class ErrorCode : uint32_t {
    Ok = 0,
    OutOfMemory,
    NotImplemented,
    UnexpectedNullArgument,
    InvalidStringArgument,
    InvalidEnumValue,
    InvalidSocketAddress,
    InvalidEntityPath,
    InvalidTimeArgument,
    InvalidArchetypeField,
    InvalidTensorDimension,
    InvalidServerUrl,
    FileOpenFailure,
    FileWriteFailure,
    RecordingStreamCreationFailure,
    RecordingStreamSaveFailure,
    RecordingStreamStdoutFailure,
    RecordingStreamSpawnFailure,
    RecordingStreamConnectionFailure,
    RecordingStreamFlushTimeout,
    HandshakeRefused,
    PortInUse,
    ViewerNotFound,
    Unknown = 0xFFFFFFFF,
};

// A status: ErrorCode::Ok or a code with a description for people.
class Error {
  public:
    ErrorCode code = ErrorCode::Ok;
    std::string description;

    Error() = default;
    Error(ErrorCode code_, std::string description_)
        : code(code_), description(std::move(description_)) {}

    static Error ok() { return Error(); }

    bool is_ok() const { return code == ErrorCode::Ok; }
    bool is_err() const { return code != ErrorCode::Ok; }

    // Passes the error to the log handler (default: prints to stderr). Does nothing when ok.
    void handle() const;
    // Handles the error, then exits the process with status 1. Does nothing when ok.
    void exit_on_failure() const;
    // Throws std::runtime_error(description) when not ok.
    void throw_on_failure() const {
        if (is_err()) throw std::runtime_error(description);
    }

    // Replaces the default handler (print to stderr); nullptr restores it. Not thread-safe with
    // respect to concurrent handle() calls.
    using LogHandler = void (*)(const Error& error, void* userdata);
    static void set_log_handler(LogHandler handler, void* userdata = nullptr);
};

// A value or an error.
template <class T>
class Result {
  public:
    T value{};
    Error error;

    Result(T value_) : value(std::move(value_)) {}
    Result(Error error_) : error(std::move(error_)) {}

    bool is_ok() const { return error.is_ok(); }
    bool is_err() const { return error.is_err(); }
    void handle() const { error.handle(); }
    // Exits on error, else returns the value.
    T& exit_on_failure() & {
        error.exit_on_failure();
        return value;
    }
    T exit_on_failure() && {
        error.exit_on_failure();
        return std::move(value);
    }
    T value_or_throw() && {
        error.throw_on_failure();
        return std::move(value);
    }
    const T& value_or_throw() const& {
        error.throw_on_failure();
        return value;
    }
};

// Strict mode: SDK errors that are otherwise only reported (as warnings through Error::handle)
// are thrown instead. Defaults to the RERUN_STRICT environment variable (1/true/on).
void set_strict_mode(bool strict);
bool is_strict_mode();

namespace detail {
// Reports an error that has nowhere to go (a log call returns void): throws in strict mode,
// else handle()s it.
void report_error(const Error& error);
}  // namespace detail

}  // namespace rerun
