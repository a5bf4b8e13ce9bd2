"""A parent and a multiprocessing pool of 4 workers log into the parent's recording through one
viewer. Each worker calls rr.init with the parent's Application ID and no Recording ID (the
default joins the parent's recording, as upstream's multiprocessing example does) and connects.

    mp_pool_logger.py ADDR START_METHOD ID_SOURCE TASKS ROWS_PER_TASK

ID_SOURCE says how the workers learn the parent's Recording ID:
  export   the parent calls rr.init, which exports RERUN_RECORDING_ID; the workers inherit it.
  authkey  the parent's recording is not the global one (rr.new_recording), so nothing is
           exported: the workers derive the id from the authkey multiprocessing gives them.

Prints one JSON line: the parent's Recording ID and, per task, the worker's pid, its Recording
ID and the RERUN_RECORDING_ID it saw (os.environ and the C environment) before its rr.init.
The pool is ended with close() + join(), so that the workers flush when they exit.
"""

import json
import multiprocessing
import os
import sys

import rerun as rr

APP = "rerun_test_multiprocessing"
_env_at_init: list = []


def init_worker(addr: str) -> None:
    _env_at_init[:] = [os.environ.get("RERUN_RECORDING_ID"), rr._native.getenv("RERUN_RECORDING_ID")]
    rr.init(APP, strict=True)
    rr.connect_tcp(addr)


def task(index: int, rows: int) -> tuple[int, str, list]:
    for r in range(rows):
        rr.set_time("step", sequence=r)
        rr.log(f"workers/task{index}", rr.Scalars(float(r)))
    return os.getpid(), str(rr.get_recording_id()), _env_at_init


def main() -> None:
    addr, method, id_source, tasks, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    if id_source == "export":
        rr.init(APP, strict=True)
        rec = rr.get_global_data_recording()
    elif id_source == "authkey":
        rr.set_strict_mode(True)
        rec = rr.new_recording(APP)
        assert "RERUN_RECORDING_ID" not in os.environ, "the test must start without RERUN_RECORDING_ID"
    else:
        sys.exit(f"mp_pool_logger.py: ID_SOURCE must be export or authkey, not {id_source!r}")
    rec.connect_tcp(addr)
    rec.log("parent", rr.TextLog(f"parent {os.getpid()}"))
    pool = multiprocessing.get_context(method).Pool(4, initializer=init_worker, initargs=(addr,))
    results = pool.starmap(task, [(i, rows) for i in range(tasks)])
    pool.close()
    pool.join()
    print(json.dumps({"recording_id": rec.get_recording_id(), "pid": os.getpid(), "tasks": results}))


if __name__ == "__main__":
    main()
