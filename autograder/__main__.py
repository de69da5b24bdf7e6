"""Command line: ``python -m autograder grade HW SUBMISSION [--results PATH]``,
``python -m autograder batch HW SUBMISSIONS --out DIR [--jobs N] [--scheduler ADDRESS]``."""

import argparse
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="The course's trusted grader.")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade one submission (a notebook, folder or zip)")
    g.add_argument("homework")
    g.add_argument("submission")
    g.add_argument("--results", default=None, help="where to write results.json")
    g.add_argument("--no-isolation", action="store_true",
                   help="do not drop privileges or use namespaces even as root")
    g.add_argument("--in-kernel", action="store_true",
                   help="run tests inside the student process (nbgrader's way; for benchmarks)")
    z = sub.add_parser("zip", help="build the Gradescope autograder zip")
    z.add_argument("homework")
    z.add_argument("--out", default=None)
    b = sub.add_parser("batch", help="grade a whole class: a folder of notebooks or of "
                       "folders, a Gradescope export (folder or zip), or nbgrader's submitted/")
    b.add_argument("homework")
    b.add_argument("submissions")
    b.add_argument("--out", required=True, help="results, journal and gradebook (resumed "
                   "if a batch is there)")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="grading processes at a time on this machine (default: CPU count)")
    b.add_argument("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786)"
                   " or scheduler file: grade on that cluster instead")
    b.add_argument("--gradebook", default=None, help="nbgrader gradebook SQLAlchemy URL "
                   "(default sqlite:///OUT/gradebook.db; 'none' for no database)")
    b.add_argument("--retry-failed", action="store_true",
                   help="grade again the submissions whose grading failed before")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    gs = sub.add_parser("gradescope", help="the Gradescope entry point (run_autograder)")
    gs.add_argument("--root", default=None)
    args = parser.parse_args(argv)
    if args.command == "grade":
        from .pipeline.grade import grade
        from .sandbox.limits import cap_grader_memory

        cap_grader_memory()
        results = grade(args.homework, args.submission, args.results,
                        isolate=False if args.no_isolation else None, in_kernel=args.in_kernel,
                        watchdog=True)
        return 0 if results is not None else 1
    if args.command == "batch":
        from .batch.run import main as batch_main

        return batch_main(args)
    if args.command == "zip":
        from .gradescope.build import build_zip

        print(build_zip(args.homework, args.out))
        return 0
    from .gradescope.run import main as run_main

    return run_main(args.root)


if __name__ == "__main__":
    sys.exit(main())
