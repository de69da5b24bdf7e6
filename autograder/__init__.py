"""The course's trusted grader: Gradescope autograder and local ``make grade``.

``pipeline/`` holds the grading stages, ``sandbox/`` the isolation of student
code and the plain-data bridge to it, ``gradescope/`` the zip and its entry
point. See README.md for the trust boundary.
"""
