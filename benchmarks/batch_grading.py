"""Benchmark: throughput of batch grading, and what the batch costs over single grading.

A class of N copies of a homework's reference answers (each a separate student) is graded:

1. one at a time with ``python -m autograder grade`` (the single-submission baseline);
2. as a batch with ``--jobs 1`` and ``--jobs 2`` (``python -m autograder batch``);
3. as a batch through a local Dask cluster (a real ``dask scheduler`` and two
   ``dask worker --nthreads 1`` processes on 127.0.0.1), cluster start-up not counted.

Prints submissions per minute, the 2-job and Dask speed-ups over 1 job, and the batch's
per-submission overhead over single grading (batch 1-job wall time per submission
against the single gradings' mean). Everything is measured in the same run, so ratios
compare like with like. Not a test: nothing is asserted.

Usage: ``python benchmarks/batch_grading.py [--homework hw0] [--students 12]``
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from autograder.submissions import reference_submission, write_notebook  # noqa: E402

BIN = os.path.dirname(sys.executable)


def make_class(folder, homework, students):
    nb = reference_submission(homework)
    for i in range(students):
        write_notebook(nb, os.path.join(folder, f"student{i:03d}.ipynb"))


def single(homework, folder, tmp):
    t0 = time.perf_counter()
    for name in sorted(os.listdir(folder)):
        subprocess.run([sys.executable, "-m", "autograder", "grade", homework,
                        os.path.join(folder, name), "--results", os.path.join(tmp, "r.json")],
                       cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0


def batch(homework, folder, out, *flags):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder", "batch", homework, folder, "--out", out,
                    "--no-progress", "--gradebook", "none", *flags], cwd=ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def start_cluster(tmp, workers=2):
    sched_file = os.path.join(tmp, "scheduler.json")
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ["PATH"])
    procs = [subprocess.Popen([os.path.join(BIN, "dask"), "scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--dashboard-address", "127.0.0.1:0", "--no-show",
                               "--scheduler-file", sched_file], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    while not os.path.exists(sched_file):
        time.sleep(0.2)
    procs += [subprocess.Popen([os.path.join(BIN, "dask"), "worker", "--scheduler-file",
                                sched_file, "--host", "127.0.0.1", "--nthreads", "1",
                                "--no-dashboard"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
              for _ in range(workers)]
    from distributed import Client

    with Client(scheduler_file=sched_file, timeout="60s") as client:
        client.wait_for_workers(workers, timeout=120)
    return sched_file, procs


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--homework", default="hw0")
    parser.add_argument("--students", type=int, default=12)
    args = parser.parse_args(argv)
    hw, n = args.homework, args.students
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "class")
        os.makedirs(folder)
        make_class(folder, hw, n)
        t_single = single(hw, folder, tmp)
        t1 = batch(hw, folder, os.path.join(tmp, "out1"), "--jobs", "1")
        t2 = batch(hw, folder, os.path.join(tmp, "out2"), "--jobs", "2")
        sched_file, procs = start_cluster(tmp)
        try:
            td = batch(hw, folder, os.path.join(tmp, "outd"), "--scheduler", sched_file)
        finally:
            for p in procs[::-1]:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)

    def rate(t):
        return n / t * 60

    print(f"{hw}: {n} submissions (reference answers), {os.cpu_count()} cores")
    print(f"{'mode':<32} {'wall':>8} {'per sub':>8} {'subs/min':>9}")
    for label, t in (("single grading, one at a time", t_single), ("batch --jobs 1", t1),
                     ("batch --jobs 2", t2), ("batch via Dask (2 workers)", td)):
        print(f"{label:<32} {t:>7.1f}s {t / n:>7.2f}s {rate(t):>9.1f}")
    print(f"scaling 2 jobs / 1 job:           {t1 / t2:.2f}x")
    print(f"scaling Dask (2 workers) / 1 job: {t1 / td:.2f}x")
    print(f"batch overhead per submission over single grading: {t1 / t_single - 1:+.1%}")


if __name__ == "__main__":
    main()
