"""Start-up cache for the extractor: what it builds from its own code and data on every start.

Shaping the trigger dispatch table and reading the taxonomy and gazetteer into name tables
take tens of milliseconds, paid before the first item. The results depend only on the files of this package, so they are kept
in one pickle beside the byte-code (``__pycache__/warm.<python>.pickle``), stamped with the
Python version and the size and modification time of every
``.py`` and ``.tsv`` file here: any edit, upgrade or reinstall rebuilds it. Nothing is cached
when the folder is not writable; a cache that cannot be read is rebuilt. The file is as
trusted as the byte-code next to it.

Regular expressions are compiled the usual way (``rxc``): caching the regex engine's private
compiled code saved ~40 ms of start-up, which the learned model's weights now dwarf (issue 12
asks for no private regex-engine internals).
"""

from __future__ import annotations

import os
import pickle
import re
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_PATH = os.path.join(_HERE, "__pycache__", f"warm.{sys.implementation.cache_tag}.pickle")


def _stamp() -> tuple:
    files = []
    with os.scandir(_HERE) as it:
        for e in it:
            if e.name.endswith((".py", ".tsv")):
                st = e.stat()
                files.append((e.name, st.st_size, st.st_mtime_ns))
    return (sys.version, tuple(sorted(files)))


def _load(stamp: tuple) -> dict:
    try:
        with open(_PATH, "rb") as fh:
            got = pickle.load(fh)
        if isinstance(got, dict) and got.get("stamp") == stamp:
            return got["data"]
    except Exception:  # missing, truncated, written by other code: rebuild
        pass
    return {}


# values are kept pickled (bytes) until asked for: unpickling one needs its classes' modules,
# which may be the very modules being imported when the cache is read
_STAMP = _stamp()
_DATA: dict = _load(_STAMP)
_DIRTY = False


def memo(key, build):
    """``build()``, or its result from the cache (``key``: any hashable, picklable value)."""
    global _DIRTY
    val = _DATA.get(key)
    if val is None:
        val = build()
        _DATA[key] = pickle.dumps(val, protocol=pickle.HIGHEST_PROTOCOL)
        _DIRTY = True
        return val
    return pickle.loads(val)


def rxc(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``: kept as the one place the extractor compiles."""
    return re.compile(pattern, flags)


def save() -> None:
    """Write the cache if anything new was built (atomically; silently skipped when the folder
    is read-only)."""
    global _DIRTY
    if not _DIRTY:
        return
    _DIRTY = False
    tmp = f"{_PATH}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(_PATH), exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump({"stamp": _STAMP, "data": _DATA}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, _PATH)
    except Exception:  # read-only install, full disk, an unpicklable value: run without a cache
        try:
            os.unlink(tmp)
        except OSError:
            pass
