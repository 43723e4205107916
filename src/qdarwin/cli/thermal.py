"""``qdarwin thermal`` commands (thin: parse, call the core, hand results to io).

``qdarwin thermal run`` evolves the broadcast branches under the chaotic Ising chain and
records I(S:F_m) at each requested time (Cao & Nussinov, arXiv:2603.15743; docs/thermal.md).
The numerics live in :func:`qdarwin.thermal.run.run_mi`; this module parses options, opens
the checkpoint store and prints.
Every finished time point is written atomically to ``<out>/points/`` (``qdarwin.io.store``);
re-running with the same ``--out`` skips finished points, so an interrupted run resumes. The
combined result ``<out>/mi.nc`` holds ``I(time, m)`` with the model and broadcast attributes.

Bad input raises ``ValueError`` (one line on stderr, exit code 2 via ``qdarwin.cli.main``);
a size that does not fit in memory is refused before anything is allocated.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any, Optional

import numpy as np
import typer

from ._common import parse_number_list, parse_scalar, print_json, print_table, progress_bar

app = typer.Typer(no_args_is_help=True, help="Thermalizing (chaotic) environments (thermalizing-environments.md).")

PRESETS = ("encoding", "redundant", "interpolating", "random_axis", "partial_degeneracy")
_CONFIG_KEYS = {
    "preset", "n_sites", "N", "times", "t_max", "t_min", "n_times", "log", "method", "hx", "hz", "J",
    "boundary", "theta", "phi", "seed", "axes", "probs", "m_max", "memory_limit", "delta", "threads",
    "route", "precision",
}


def _number(value: Any, name: str) -> float:
    return parse_scalar(value, name)


def time_grid(*, times: Any = None, t_max: float = 50.0, t_min: float = 0.1, n_times: int = 40, log: bool = True) -> list[float]:
    """Requested times: an explicit list, or t = 0 plus ``n_times - 1`` points up to ``t_max``.

    With ``log`` the points are log-spaced in [t_min, t_max] (Fig. 1: 0 plus 39 values in
    [0.1, 50]); otherwise linearly spaced in (0, t_max].

    Examples
    --------
    >>> time_grid(t_max=2.0, n_times=3, log=False)
    [0.0, 1.0, 2.0]
    """
    if times is not None:
        out = parse_number_list(times, "times")
    else:
        if n_times < 1:
            raise ValueError(f"n_times must be >= 1, got {n_times}")
        if not (math.isfinite(t_max) and t_max > 0):
            raise ValueError(f"t_max must be a positive finite number, got {t_max}")
        if n_times == 1:
            out = [0.0]
        elif log:
            if not (0 < t_min < t_max):
                raise ValueError(f"t_min must lie in (0, t_max) for log spacing, got t_min={t_min}, t_max={t_max}")
            out = [0.0] + np.geomspace(t_min, t_max, n_times - 1).tolist()
        else:
            out = np.linspace(0.0, t_max, n_times).tolist()
    if any(not math.isfinite(t) or t < 0 for t in out):
        raise ValueError(f"times must be finite and >= 0, got {out}")
    return sorted({float(t) for t in out})


def _resolve(cli: dict[str, Any], config: Optional[Path]) -> dict[str, Any]:
    """Merge TOML config (if any) with command-line options (command line wins)."""
    from ..io import load_toml

    merged: dict[str, Any] = {}
    if config is not None:
        raw = load_toml(config)
        table = raw.get("thermal", raw)
        if not isinstance(table, dict):
            raise ValueError(f"{config}: [thermal] must be a table")
        unknown = sorted(set(table) - _CONFIG_KEYS)
        if unknown:
            raise ValueError(f"{config}: unknown key(s) {unknown}; allowed: {sorted(_CONFIG_KEYS)}")
        merged.update(table)
        if "N" in merged:
            merged["n_sites"] = merged.pop("N")
    merged.update({k: v for k, v in cli.items() if v is not None})
    return merged


def build_setup(opts: dict[str, Any]) -> Any:
    """A :class:`~qdarwin.thermal.models.BroadcastSetup` from CLI/TOML options (preset or axes)."""
    from ..thermal.models import BroadcastSetup, preset

    theta = _number(opts.get("theta", math.pi / 4), "theta")
    if opts.get("axes") is not None:
        axes = np.asarray(opts["axes"], dtype=float)
        return BroadcastSetup(axes, opts.get("probs"), theta)
    name = str(opts.get("preset", "redundant"))
    if name.replace("-", "_") not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    kw: dict[str, Any] = {"theta": theta}
    if opts.get("probs") is not None:
        kw["probs"] = opts["probs"]
    if name == "interpolating":
        if opts.get("phi") is None:
            raise ValueError("preset 'interpolating' needs --phi")
        kw["phi"] = _number(opts["phi"], "phi")
    if name == "random_axis":
        kw["rng"] = np.random.default_rng(int(opts.get("seed", 0)))
    return preset(name, **kw)


def _summary_rows(info: dict[str, Any], n: int, n_times: int) -> list[tuple[str, Any]]:
    late = info["I_late"]
    rows: list[tuple[str, Any]] = [("N", n), ("times", n_times), ("late curve", info["late_curve"])]
    rows += [(f"I(m={m}), bit", float(late[m])) for m in range(1, n)]
    rows += [("S(S), bit", info["S_S"]), ("H(p), bit", info["H_p"])]
    if "m_delta" in info:
        delta = info["delta"]
        rows += [(f"m_delta (delta={delta:g})", info["m_delta"]), ("N_delta = N/m_delta", info["N_delta"]),
                 ("floor(N/m_delta)", info["N_delta_floor"])]
    return rows


def _cli_limit(text: Any) -> int | None:
    """--memory-limit: a number with a unit (a bare number would be read as bytes)."""
    from ..thermal.memory import parse_bytes

    if text is None:
        return None
    raw = str(text).strip()
    if raw.replace(".", "", 1).isdigit():
        raise ValueError(f"--memory-limit needs a unit, e.g. {raw}GB or {raw}GiB (got {raw!r})")
    return parse_bytes(raw, "--memory-limit")


_CLI_ADVICE = "raise --memory-limit or lower --m-max"


@app.command()
def run(
    preset_name: Optional[str] = typer.Option(None, "--preset", help=f"Broadcast preset: {', '.join(PRESETS)} (default redundant)."),
    n_sites: Optional[int] = typer.Option(None, "-N", "--n-sites", help="Environment size N (default 12)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file with the same keys (optionally under a \\[thermal] table)."),
    times: Optional[str] = typer.Option(None, "--times", help="Comma-separated times, e.g. 0,1,2.5,pi."),
    t_max: Optional[float] = typer.Option(None, "--t-max", help="Largest time of the grid (default 50)."),
    t_min: Optional[float] = typer.Option(None, "--t-min", help="Smallest non-zero time of a log grid (default 0.1)."),
    n_times: Optional[int] = typer.Option(None, "--n-times", help="Number of grid times including t = 0 (default 40)."),
    log: Optional[bool] = typer.Option(None, "--log/--linear", help="Log-spaced (default) or linear time grid."),
    method: Optional[str] = typer.Option(None, "--method", help="auto, sector, full, expm or dense."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Run directory (default runs/thermal-<preset>-N<N>)."),
    memory_limit: Optional[str] = typer.Option(None, "--memory-limit", help="Memory limit, e.g. 8GB (default 80% of RAM)."),
    hx: Optional[str] = typer.Option(None, "--hx", help="Transverse field h_x (default (5+sqrt5)/8)."),
    hz: Optional[str] = typer.Option(None, "--hz", help="Longitudinal field h_z (default (1+sqrt5)/4)."),
    coupling: Optional[str] = typer.Option(None, "--J", help="Ising coupling J (default 1)."),
    boundary: Optional[str] = typer.Option(None, "--boundary", help="periodic (default) or open."),
    theta: Optional[str] = typer.Option(None, "--theta", help="Broadcast angle (default pi/4)."),
    phi: Optional[str] = typer.Option(None, "--phi", help="Axis angle for the interpolating preset."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed for the random_axis preset."),
    m_max: Optional[int] = typer.Option(None, "--m-max", help="Largest fraction size computed directly."),
    delta: Optional[float] = typer.Option(None, "--delta", help="Tolerance of the redundancy number (default 0.5)."),
    threads: Optional[int] = typer.Option(None, "--threads", help="BLAS threads for the I(S:F) step (default 1; 0 = no limit)."),
    route: Optional[str] = typer.Option(None, "--route", help="Gram route: auto (default), dense or lean (sector coefficients, column blocks)."),
    precision: Optional[str] = typer.Option(None, "--precision", help="double (default) or single: complex64 Gram accumulation of the lean route."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Compute the lean route's column blocks on a Dask LocalCluster of this many processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the planned route, peak memory and operation count; compute nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    no_progress: bool = typer.Option(False, "--no-progress", help="Do not show a progress bar."),
) -> None:
    """Evolve the branches and record I(S:F_m) per time point (resumable)."""
    from ..io import save_dataset
    from ..io.store import PointStore
    from ..thermal.memory import MemoryLimitError
    from ..thermal.models import ChaoticIsing
    from ..thermal.plan import require_fit
    from ..thermal.run import Evolution, plan_mi, run_mi, summarize_mi

    opts = _resolve(
        {
            "preset": preset_name, "n_sites": n_sites, "times": times, "t_max": t_max, "t_min": t_min,
            "n_times": n_times, "log": log, "method": method, "memory_limit": memory_limit, "hx": hx, "hz": hz,
            "J": coupling, "boundary": boundary, "theta": theta, "phi": phi, "seed": seed, "m_max": m_max,
            "delta": delta, "threads": threads, "route": route, "precision": precision,
        },
        config,
    )
    n = opts.get("n_sites", 12)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(f"n_sites (N) must be an integer, got {n!r}")
    if not 1 <= int(n) <= 62:
        raise ValueError(f"-N (n_sites) must lie in [1, 62], got {n}")
    env_kw: dict[str, Any] = {k: _number(opts[k], k) for k in ("hx", "hz", "J") if k in opts}
    env = ChaoticIsing(int(n), boundary=str(opts.get("boundary", "periodic")), **env_kw)
    setup = build_setup(opts)
    grid = time_grid(
        times=opts.get("times"),
        t_max=_number(opts.get("t_max", 50.0), "t_max"),
        t_min=_number(opts.get("t_min", 0.1), "t_min"),
        n_times=int(opts.get("n_times", 40)),
        log=bool(opts.get("log", True)),
    )
    meth = str(opts.get("method", "auto"))
    if meth not in ("auto", "sector", "full", "expm", "dense"):
        raise ValueError(f"method must be one of auto, sector, full, expm, dense; got {meth!r}")
    evo = Evolution(meth, route=str(opts.get("route", "auto")), precision=str(opts.get("precision", "double")))
    limit = _cli_limit(opts.get("memory_limit"))
    mm = opts.get("m_max")
    if mm is not None and (isinstance(mm, bool) or not isinstance(mm, int) or mm < 0):
        raise ValueError(f"--m-max must be a non-negative integer, got {mm!r}")
    n_threads = opts.get("threads", "default")
    if n_threads != "default":
        if isinstance(n_threads, bool) or not isinstance(n_threads, int) or n_threads < 0:
            raise ValueError(f"threads must be a non-negative integer, got {n_threads!r}")
        n_threads = None if n_threads == 0 else n_threads
    d_tol = float(opts.get("delta", 0.5))
    if not 0 < d_tol < 1:
        raise ValueError("delta must lie in the open interval (0, 1)")
    if workers is not None and scheduler is not None:
        raise ValueError("give --workers or --scheduler, not both")
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be >= 1, got {workers}")
    plan = plan_mi(env, setup, grid, method=evo, m_max=mm, memory_limit=limit)
    if dry_run:
        info = {**plan.as_dict(), "peak_GiB": round(plan.peak_bytes / 2**30, 3), "workers": workers,
                "scheduler": scheduler, "precision": evo.precision}
        if not plan.fits:
            try:
                require_fit(plan, advice=_CLI_ADVICE)
            except MemoryLimitError as exc:
                info["refused"] = str(exc)
        if as_json:
            print_json(info)
        else:
            print_table(f"qdarwin thermal run --dry-run: N = {env.n_sites}", list(info.items()))
        return
    require_fit(plan, advice=_CLI_ADVICE)
    if (workers is not None or scheduler is not None) and plan.route != "lean":
        raise ValueError("--workers/--scheduler need the lean route (a uniform ring with a preset); add --route lean")

    physics = {
        "N": env.n_sites, "J": env.J, "hx": env.hx, "hz": env.hz, "boundary": env.boundary,
        "theta": setup.theta, "axes": setup.axes.tolist(), "probs": setup.probs.tolist(), "m_max": mm,
    }
    if evo.precision != "double":
        physics["precision"] = evo.precision
    name = "custom" if opts.get("axes") is not None else str(opts.get("preset", "redundant"))
    run_dir = out if out is not None else Path("runs") / f"thermal-{name}-N{env.n_sites}"
    store = PointStore(run_dir, spec={**physics, "preset": name, "times": grid, "method": meth})
    todo = sum(1 for t in grid if not store.has(store.key_for({**physics, "time": t})))
    with contextlib.ExitStack() as stack:
        client = None
        if workers is not None or scheduler is not None:
            from ..thermal.cluster import dask_client

            client = stack.enter_context(dask_client(workers, scheduler))
        bar = stack.enter_context(progress_bar(f"N={env.n_sites} {name}", total=max(todo, 1), enabled=not no_progress and todo > 0))
        ds = run_mi(env, setup, grid, method=evo, m_max=mm, memory_limit=limit, threads=n_threads, client=client,
                    store=store, progress=bar)
    ds.attrs["preset"] = name
    save_dataset(ds, run_dir / "mi.nc")
    info = summarize_mi(ds, d_tol)
    computed, reused = int(ds.attrs["computed"]), int(ds.attrs["reused"])
    info.update({"out": str(run_dir / "mi.nc"), "computed": computed, "reused": reused})
    if as_json:
        print_json(info)
    else:
        rows = [("result", str(run_dir / "mi.nc")), ("points computed / reused", f"{computed} / {reused}"),
                ("Gram route", f"{ds.attrs['route']} ({evo.precision} precision)")]
        rows += _summary_rows(info, env.n_sites, len(grid))
        print_table(f"qdarwin thermal run: {name}", rows)
