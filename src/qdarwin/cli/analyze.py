"""``qdarwin analyze``: partial information, redundancy and objectivity of a saved state.

Reads ``.npy``, ``.npz`` (array ``state``), NetCDF or HDF5 (never pickles), prints the
fragment-averaged curve with units, ``R_delta`` and the objectivity verdict. See
docs/your-own-model.md.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Optional

import typer

from ._common import CLIError, console, print_json, print_table, LazyProgress


def _int_list(text: str, name: str) -> list[int]:
    items = [t.strip() for t in str(text).split(",")]
    if not items or any(not t for t in items):
        raise CLIError(f"cannot read {name} {text!r}: expected comma-separated integers, e.g. 2,2,2")
    out = []
    for t in items:
        try:
            out.append(int(t))
        except ValueError:
            raise CLIError(f"cannot read {name} {text!r}: {t!r} is not an integer") from None
    return out


def analyze(
    state_file: Path = typer.Argument(..., metavar="STATE_FILE", help="State file: .npy, .npz (array 'state'), NetCDF/HDF5 (.nc, .h5)."),
    dims: Optional[str] = typer.Option(None, "--dims", help="Local dimensions, e.g. 2,2,2,2 (default: from the file)."),
    system: str = typer.Option("0", "--system", help="System subsystem index, or indices for a composite system (0,1)."),
    fragments: str = typer.Option("all", "--fragments", help="all | sample | contiguous | nested."),
    samples: Optional[int] = typer.Option(None, "--samples", help="Fragments per size for --fragments sample (default 200)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the fragment sampling."),
    delta: float = typer.Option(0.1, "--delta", help="Information deficit of R_delta, in (0, 1)."),
    pointer: str = typer.Option("eigenbasis", "--pointer", help="Pointer basis of S: eigenbasis (of rho_S) | computational."),
    optimize: bool = typer.Option(False, "--optimize", help="Also maximise J(S:F) over measurements (one-way discord)."),
    workers: int = typer.Option(1, "--workers", help="Threads evaluating fragments in parallel."),
    key: str = typer.Option("state", "--key", help="Array / variable name in .npz and NetCDF/HDF5 files."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Save the partial-information plot (e.g. pip.png or .pdf)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Save the curves as NetCDF (e.g. result.nc)."),
) -> None:
    """Partial information I(S:F), Holevo chi, discord, R_delta and objectivity of a state (bits)."""
    from .._checks import validate_delta
    from ..darwinism import objectivity, partial_information, redundancy
    from ..io.states import read_state

    if fragments not in ("all", "sample", "contiguous", "nested"):
        raise CLIError(f"--fragments must be all, sample, contiguous or nested, got {fragments!r}")
    if pointer not in ("eigenbasis", "computational"):
        raise CLIError(f"--pointer must be eigenbasis or computational, got {pointer!r}")
    if samples is not None and fragments != "sample":
        raise CLIError("--samples needs --fragments sample")
    dl = validate_delta(delta)
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise CLIError(f"--plot {plot.name}: use a .png, .pdf or .svg file name")
    sys_idx = _int_list(system, "--system")
    user_dims = _int_list(dims, "--dims") if dims is not None else None
    sf = read_state(state_file, key=key)
    use_dims = user_dims if user_dims is not None else sf.dims
    if use_dims is None:
        raise CLIError(f"{state_file.name}: no dims stored in the file; pass --dims, e.g. --dims 2,2,2")
    bar = LazyProgress("fragments", not json_out)
    with bar.stack:
        res = partial_information(
            sf.state, use_dims, system=sys_idx if len(sys_idx) > 1 else sys_idx[0], fragments=fragments,
            n_samples=samples, rng=seed, pointer=pointer, optimize=optimize, progress=bar, workers=workers,
        )
    red = redundancy(res, dl)
    red_i = redundancy(res, dl, curve="I")
    ob = objectivity(sf.state, use_dims, system=sys_idx if len(sys_idx) > 1 else sys_idx[0], pointer=pointer)
    note = str(res.attrs.get("note", ""))
    if out is not None:
        from ..io.results import save_dataset

        ds = res.to_xarray()
        ds.attrs.update({"R_delta": red.R_delta, "F_delta": red.F_delta, "delta": dl, "source_file": str(state_file),
                         "objectivity": ob.verdict})
        save_dataset(ds, out)
    if plot is not None:
        from ..figures.partial_information import plot as draw
        from ..io.results import save_figure

        save_figure(draw(res, delta=dl, title=state_file.name), plot.with_suffix(""), formats=(plot.suffix.lower()[1:],))
    if json_out:
        payload: dict[str, Any] = {
            "m": res.m, "fraction": res.m / res.n_env, "I": res.I, "chi": res.chi, "discord": res.discord,
            "I_sem": res.I_sem, "chi_sem": res.chi_sem, "discord_sem": res.discord_sem, "n_fragments": res.n_fragments,
            "H_S": res.H_S, "H_pointer": res.H_pointer, "units": res.units, "fragments": res.fragments,
            "n_env": res.n_env, "dims": list(res.dims), "system": list(res.system), "delta": dl,
            "R_delta": red.R_delta, "R_delta_interp": red.R_delta_interp, "F_delta": red.F_delta,
            "R_delta_I": red_i.R_delta, "redundancy_reference": red.reference,
            "objectivity": {"verdict": ob.verdict, "spectrum_broadcast": ob.spectrum_broadcast,
                            "decoherence": ob.decoherence, "strong_darwinism": ob.strong_darwinism.tolist(),
                            "max_fidelity": ob.max_fidelity, "fragments": list(ob.fragments)},
            "note": note,
        }
        if res.J is not None:
            payload.update({"J": res.J, "one_way_discord": res.one_way_discord})
        print_json(payload)
        return
    _print_tables(res, red, red_i, ob, note, state_file)


def _f(v: float) -> str:
    return f"{round(float(v), 6) + 0.0:.6f}"  # + 0.0 turns -0.0 into 0.0


def _print_tables(res: Any, red: Any, red_i: Any, ob: Any, note: str, path: Path) -> None:
    u = res.units
    mc = bool((res.I_sem > 0).any())
    cols = ["m", "m/N", f"I ({u})", f"chi ({u})", f"discord ({u})"]
    if res.J is not None:
        cols += [f"J ({u})", f"one-way discord ({u})"]
    if mc:
        cols += ["s.e. I", "fragments"]
    rows = []
    for k in range(res.m.size):
        row: list[Any] = [int(res.m[k]), f"{res.m[k] / res.n_env:.3f}", _f(res.I[k]), _f(res.chi[k]), _f(res.discord[k])]
        if res.J is not None:
            row += [_f(res.J[k]), _f(res.one_way_discord[k])]
        if mc:
            row += [f"{res.I_sem[k]:.2g}", int(res.n_fragments[k])]
        rows.append(row)
    how = {"all": "exact average over all fragments", "sample": "Monte Carlo over random fragments",
           "contiguous": "contiguous fragments", "nested": "nested fragments F_m = first m"}[res.fragments]
    print_table(f"{path.name}: partial information, N = {res.n_env} environment subsystems ({how})", rows, cols)
    console.print(f"S(S) = {res.H_S:.6f} {u}, H(Pi_S) = {res.H_pointer:.6f} {u} (classical plateau)", markup=False)
    if math.isnan(red.R_delta):
        console.print(f"R_delta: {red.note}", markup=False)
    else:
        head = f"R_delta (delta = {red.delta:g}, chi against H(Pi_S))"
        if red.note:
            console.print(f"{head} = 0: {red.note}", markup=False)
        else:
            console.print(f"{head} = {red.R_delta:g} (F_delta = {red.F_delta:g}, interpolated R = "
                          f"{red.R_delta_interp:.4g})", markup=False)
        i_part = f"{red_i.R_delta:g} (F_delta = {red_i.F_delta:g})" if math.isfinite(red_i.F_delta) else "0 (never reached)"
        console.print(f"R_delta from I(S:F) against H(Pi_S): {i_part}", markup=False)
    console.print(f"objectivity: {ob.verdict}", markup=False)
    console.print(f"  decoherence of S in the pointer basis {ob.decoherence:.3g}; strong quantum Darwinism (Le, "
                  f"Olaya-Castro, PRL 122, 010403 (2019)) holds for {int(ob.strong_darwinism[:-1].sum())} of "
                  f"{res.n_env} single subsystems", markup=False)
    if note:
        console.print(f"note: {note}", markup=False)
