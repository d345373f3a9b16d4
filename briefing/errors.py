"""One base for the problems a user can act on. The CLI prints such an error as one line and
exits with its code; everything else is a bug and keeps its traceback."""

from __future__ import annotations


class BriefingError(Exception):
    """A whole-command problem: a bad configuration, an unwritable output folder, a broken
    template, another run holding the lock. Printed as one line."""

    exit_code = 2
