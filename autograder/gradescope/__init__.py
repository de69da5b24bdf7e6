"""Gradescope: the autograder zip (``build``) and its entry point (``run``)."""
