"""Grading stages, each a small module with one job; data flows one way.

``homeworks`` (which homeworks exist, their limits) → ``source`` (the trusted
notebook: setup, answer and test cells) → ``load`` (find and parse the upload)
→ ``extract`` (the student's answer cells by ``grade_id``) → ``execute`` (run
them in the sandboxed student process) → ``run_tests`` (tests in the trusted
process through proxies) → ``report`` (Gradescope ``results.json``). ``grade``
chains them and always writes a result.
"""
