"""Results <-> files: the only place in qdarwin that writes.

Every writer is atomic (write to a temporary file in the same directory, fsync, then
``os.replace``), so an interrupted run or a full disk never leaves a half-written result
behind; a failed write raises :class:`WriteError` (an ``OSError``) naming the file. Files get
the permissions of any new file (``0666 & ~umask``).
"""

from .results import (
    NONFINITE_KEY,
    WriteError,
    atomic_write,
    load_dataset,
    load_table_file,
    load_toml,
    provenance,
    save_dataset,
    save_figure,
    to_jsonable,
    write_bytes,
    write_json,
    write_text,
)
from .tables import load_rates_file, load_series_file

__all__ = [
    "NONFINITE_KEY",
    "WriteError",
    "atomic_write",
    "load_rates_file",
    "load_series_file",
    "to_jsonable",
    "write_bytes",
    "load_dataset",
    "load_table_file",
    "load_toml",
    "provenance",
    "save_dataset",
    "save_figure",
    "write_json",
    "write_text",
]
