"""Command line: ``python -m autograder grade HW SUBMISSION [--results PATH]``."""

import argparse
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
    if args.command == "zip":
        from .gradescope.build import build_zip

        print(build_zip(args.homework, args.out))
        return 0
    from .gradescope.run import main as run_main

    return run_main(args.root)


if __name__ == "__main__":
    sys.exit(main())
