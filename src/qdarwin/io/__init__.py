"""Results <-> files: the only place in qdarwin that writes.

Every writer is atomic (write to a temporary file in the same directory, fsync, then
``os.replace``), so an interrupted run never leaves a half-written result behind.
"""

from .results import (
    atomic_write,
    load_dataset,
    load_table_file,
    load_toml,
    provenance,
    save_dataset,
    save_figure,
    write_json,
    write_text,
)

__all__ = [
    "atomic_write",
    "load_dataset",
    "load_table_file",
    "load_toml",
    "provenance",
    "save_dataset",
    "save_figure",
    "write_json",
    "write_text",
]
