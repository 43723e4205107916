"""qdarwin.sweep: parameter grids of pillar functions, executed serially or on Dask, with resume.

A :class:`Sweep` names a registered function and a grid of named axes (plus an optional seed
axis); :func:`run_sweep` writes one atomic NetCDF per finished point into a results directory
(:class:`qdarwin.io.store.PointStore`), skipping points that are already there, and
:func:`collect_sweep` combines them into one labelled ``xarray.Dataset``.
"""

from .collect import SweepStatus, collect_sweep, sweep_status
from .config import MAX_POINTS, Sweep, load_sweep, sweep_from_mapping, validate_sweep
from .execute import DaskScheduler, LocalDask, Serial, SweepRun, load_sweep_spec, run_sweep
from .registry import available_functions, register, resolve, to_dataset

__all__ = [
    "Sweep",
    "load_sweep",
    "sweep_from_mapping",
    "validate_sweep",
    "MAX_POINTS",
    "Serial",
    "LocalDask",
    "DaskScheduler",
    "SweepRun",
    "run_sweep",
    "load_sweep_spec",
    "SweepStatus",
    "sweep_status",
    "collect_sweep",
    "available_functions",
    "register",
    "resolve",
    "to_dataset",
]
