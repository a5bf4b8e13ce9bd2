"""A parent and a multiprocessing pool of 4 workers log into the parent's recording through one
viewer. Each worker calls rr.init with the parent's Application ID and no Recording ID (the
default joins the parent's recording, as upstream's multiprocessing example does) and connects.

    mp_pool_logger.py ADDR START_METHOD TASKS ROWS_PER_TASK

Prints one JSON line: the parent's Recording ID and, per task, the worker's pid and Recording ID.
The pool is ended with close() + join(), so that the workers flush when they exit.
"""

import json
import multiprocessing
import os
import sys

import rerun as rr

APP = "rerun_test_multiprocessing"


def init_worker(addr: str) -> None:
    rr.init(APP)
    rr.connect_tcp(addr)


def task(index: int, rows: int) -> tuple[int, str]:
    for r in range(rows):
        rr.set_time("step", sequence=r)
        rr.log(f"workers/task{index}", rr.Scalars(float(r)))
    return os.getpid(), str(rr.get_recording_id())


def main() -> None:
    addr, method, tasks, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rr.init(APP, strict=True)
    rr.connect_tcp(addr)
    rr.log("parent", rr.TextLog(f"parent {os.getpid()}"))
    pool = multiprocessing.get_context(method).Pool(4, initializer=init_worker, initargs=(addr,))
    results = pool.starmap(task, [(i, rows) for i in range(tasks)])
    pool.close()
    pool.join()
    print(json.dumps({"recording_id": rr.get_recording_id(), "pid": os.getpid(), "tasks": results}))


if __name__ == "__main__":
    main()
