"""Partial-information curves of any system-environment state (bits by default).

For each fragment size m = 0..N the mean over environment fragments ``F`` of the quantum
mutual information ``I(S:F)``, the Holevo quantity ``chi(Pi_S:F)`` of the pointer measurement
on ``S`` and the discord ``I - chi``; optionally ``J(S:F)`` maximised over projective
measurements and the one-way discord ``I - J``. See docs/your-own-model.md.

References
----------
W. H. Zurek, Nat. Phys. 5, 181 (2009), arXiv:0903.5082;
M. Zwolak, W. H. Zurek, Sci. Rep. 3, 1729 (2013), arXiv:1303.4802 (Holevo and discord);
M. Zwolak, C. J. Riedel, W. H. Zurek, Sci. Rep. 6, 25277 (2016), arXiv:1512.07578.
"""

from __future__ import annotations

import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from .._checks import check_int, qobj_dims
from .._threads import blas_threads
from .._typing import FloatArray
from ..info.entropy import _check_base
from . import _kernel
from ._optimize import measured_state, min_conditional_entropy
from ._state import Prepared, prepare

FRAGMENT_METHODS = ("all", "sample", "contiguous", "nested")
#: Largest number of fragments an exact ("all") request may enumerate.
MAX_EXACT_FRAGMENTS = 2**24
DEFAULT_SAMPLES = 200


@dataclass(frozen=True)
class PartialInformation:
    """Fragment-averaged partial-information curves over fragment sizes ``m = 0..N``.

    All information quantities are in ``units`` (bits for ``base = 2``). Standard errors
    (``*_sem``) are Monte Carlo standard errors of the mean, zero for exact averages.
    """

    m: NDArray[np.int64]  #: fragment sizes 0..N
    I: FloatArray  #: mean quantum mutual information I(S:F)
    chi: FloatArray  #: mean Holevo quantity chi(Pi_S:F) of the pointer measurement
    discord: FloatArray  #: mean I - chi (discord relative to the pointer measurement)
    I_sem: FloatArray
    chi_sem: FloatArray
    discord_sem: FloatArray
    n_fragments: NDArray[np.int64]  #: fragments averaged at each m
    H_S: float  #: von Neumann entropy of rho_S
    H_pointer: float  #: Shannon entropy H(Pi_S) of the pointer probabilities (classical plateau)
    pointer_probabilities: FloatArray
    pointer: NDArray[np.complex128]  #: pointer basis (columns)
    units: str
    base: float
    fragments: str  #: "all", "sample", "contiguous" or "nested"
    n_env: int
    dims: tuple[int, ...]
    system: tuple[int, ...]
    J: FloatArray | None = None  #: optimised classical correlation (``optimize=True``)
    one_way_discord: FloatArray | None = None  #: I - J (``optimize=True``)
    J_sem: FloatArray | None = None
    one_way_discord_sem: FloatArray | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_xarray(self) -> Any:
        """The curves as an ``xarray.Dataset`` with coordinate ``m`` (units in attrs)."""
        import xarray as xr

        names = ["I", "chi", "discord"] + (["J", "one_way_discord"] if self.J is not None else [])
        data: dict[str, Any] = {}
        for n in names:
            data[n] = ("m", np.asarray(getattr(self, n)), {"units": self.units})
            data[n + "_sem"] = ("m", np.asarray(getattr(self, n + "_sem")), {"units": self.units})
        data["n_fragments"] = ("m", self.n_fragments)
        frac = self.m / max(self.n_env, 1)
        attrs = {
            "units": self.units, "base": self.base, "H_S": self.H_S, "H_pointer": self.H_pointer,
            "fragments": self.fragments, "n_env": self.n_env, "dims": list(self.dims),
            "system": list(self.system), "pointer_probabilities": list(map(float, self.pointer_probabilities)),
            **self.attrs,
        }
        return xr.Dataset(data, coords={"m": self.m, "fraction": ("m", frac)}, attrs=attrs)


def _units(base: float) -> str:
    if base == 2.0:
        return "bits"
    if abs(base - math.e) < 1e-15:
        return "nats"
    return f"log base {base:g}"


def memory_limit_bytes() -> int:
    """Default memory limit: 80% of physical memory (``QDARWIN_MEMORY_LIMIT`` bytes overrides)."""
    env = os.environ.get("QDARWIN_MEMORY_LIMIT", "").strip()
    if env.isdigit():
        return int(env)
    try:
        return int(0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 8 * 2**30


def _fmt_bytes(b: float) -> str:
    return f"{b / 2**30:.3g} GiB" if b >= 2**28 else f"{b / 2**20:.3g} MiB"


def _check_request(prep: Prepared, method: str, sizes: Sequence[int], limit: int, optimize: bool) -> None:
    """Refuse, before allocating, requests over ``limit`` bytes or ``MAX_EXACT_FRAGMENTS``."""
    n = prep.n_env
    need = max(_kernel.peak_bytes(prep, m) for m in sizes)
    if optimize:
        d_a = max(math.prod(sorted(prep.env_dims, reverse=True)[: (n + 1) // 2 if prep.pure else n]), 1)
        need += 16 * 3 * (prep.d_s * d_a) ** 2
    count = 2**n
    if method == "all" and count > MAX_EXACT_FRAGMENTS:
        raise ValueError(
            f"fragments='all' would average over all 2^{n} = {count} fragments of the N = {n} environment "
            f"subsystems (limit {MAX_EXACT_FRAGMENTS}); use fragments='sample'"
        )
    if need > limit:
        what = f"all 2^{n} = {count} fragments" if method == "all" else f"fragments={method!r}"
        raise ValueError(
            f"{what} of the N = {n} environment subsystems need about {_fmt_bytes(need)} of working memory, "
            f"above the memory limit {_fmt_bytes(limit)}; use smaller fragments or fragments='sample' on a bigger machine"
        )


def _precheck(state: Any, dims: Sequence[int] | None, system: Any, fragments: str, limit: int) -> None:
    """Refuse from the shapes alone, before validation copies the state: too many fragments, or
    a state whose validation and factor copies exceed ``limit`` bytes."""
    shape = getattr(state, "shape", None)
    if shape is None:
        shape = np.shape(state)
    shape = tuple(int(x) for x in shape)
    d = dims if dims is not None else qobj_dims(state)
    count = ""
    if fragments == "all" and d is not None:
        n_sys = 1 if isinstance(system, (int, np.integer)) else len(list(system))
        n = len(list(d)) - n_sys
        if n > 0:
            count = f"; fragments='all' would average over all 2^{n} = {2**n} fragments"
        if n > 0 and 2**n > MAX_EXACT_FRAGMENTS:
            raise ValueError(
                f"fragments='all' would average over all 2^{n} = {2**n} fragments of the N = {n} environment "
                f"subsystems (limit {MAX_EXACT_FRAGMENTS}); use fragments='sample'"
            )
    if len(shape) >= 1 and shape[0] > 0:
        is_dm = len(shape) == 2 and shape[0] == shape[1] and shape[0] > 1
        size = shape[0] * shape[0] if is_dm else shape[0]
        need = 16 * size * (5 if is_dm else 4)
        if need > limit:
            raise ValueError(
                f"state: validating and factorising a state of dimension {shape[0]} needs about {_fmt_bytes(need)}, "
                f"above the memory limit {_fmt_bytes(limit)}{count}"
            )


class _Acc:
    """Per-m collections of fragment values (I, chi, J)."""

    def __init__(self, n: int, want_j: bool) -> None:
        self.vals: list[list[tuple[float, float, float]]] = [[] for _ in range(n + 1)]
        self.exact = [True] * (n + 1)
        self.want_j = want_j

    def add(self, m: int, i: float, chi: float, j: float) -> None:
        self.vals[m].append((i, chi, j))


_Task = tuple[tuple[int, ...], bool, bool]  # (fragment, also its complement, m = N - m sampled pair)


def _evaluate(prep: Prepared, task: _Task, optimize: bool, rng: np.random.Generator) -> list[tuple[int, float, float, float]]:
    """Values ``(m, I, chi, J)`` of a fragment (and of its complement for pure states)."""
    frag, both, pair = task
    n, m = prep.n_env, len(frag)
    a, b, c = _kernel.fragment_terms(prep, frag)
    cmin = 0.0  # empty fragment: no conditional entropy left (pure: S(E|k) = S(empty|k) = 0)
    if optimize and frag:
        cmin = min_conditional_entropy(prep, measured_state(prep, frag), rng=rng)
    i1, x1 = _kernel.values(prep, a, b, c) if m else (0.0, 0.0)  # empty fragment: exactly 0
    j1 = (a - cmin) if optimize and m else 0.0
    if not both:
        return [(m, i1, x1, j1)]
    i2, x2 = _kernel.complement_values(prep, a, b, c)
    j2 = (b - cmin) if optimize and n - m else 0.0
    if pair:  # m = N - m sampled: one draw, two correlated values -> one averaged sample
        return [(m, 0.5 * (i1 + i2), 0.5 * (x1 + x2), 0.5 * (j1 + j2))]
    return [(m, i1, x1, j1), (n - m, i2, x2, j2)]


def _subsets(n: int, m: int, half: bool) -> Iterator[tuple[int, ...]]:
    for comb in itertools.combinations(range(n), m):
        if half and 0 not in comb:  # m = N/2: F and Fbar both have size m; take the one holding 0
            continue
        yield comb


def _tasks(prep: Prepared, method: str, m: int, n_samples: int, rng: np.random.Generator, acc: _Acc) -> list[_Task]:
    """Fragments to evaluate at size ``m`` (for pure "all"/"sample": m <= N/2 with complements)."""
    n = prep.n_env
    pure = prep.pure and method in ("all", "sample")
    if method in ("all", "sample"):
        half = pure and 2 * m == n
        if method == "all" or math.comb(n, m) <= n_samples:
            return [(comb, pure, False) for comb in _subsets(n, m, half)]
        acc.exact[m] = acc.exact[n - m] = False
        return [(tuple(sorted(rng.choice(n, size=m, replace=False).tolist())), pure, half) for _ in range(n_samples)]
    if method == "contiguous":
        return [(tuple(range(s0, s0 + m)), False, False) for s0 in range(n - m + 1 if m else 1)]
    return [(tuple(range(m)), False, False)]


def _run(prep: Prepared, method: str, n_samples: int, rng: np.random.Generator, optimize: bool,
         progress: Callable[..., None] | None, workers: int) -> _Acc:
    n = prep.n_env
    acc = _Acc(n, optimize)
    pure = prep.pure and method in ("all", "sample")
    sizes = list(range(n // 2 + 1)) if pure else list(range(n + 1))
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 and not optimize else None
    try:
        for step, m in enumerate(sizes):
            tasks = _tasks(prep, method, m, n_samples, rng, acc)
            if pool is not None and len(tasks) > 1:
                results = pool.map(lambda t: _evaluate(prep, t, False, rng), tasks, chunksize=max(1, len(tasks) // (8 * workers)))
            else:
                results = map(lambda t: _evaluate(prep, t, optimize, rng), tasks)
            for vals in results:
                for mm, i, x, j in vals:
                    acc.add(mm, i, x, j)
            if progress is not None:
                progress(step + 1, len(sizes), f"m = {m}")
    finally:
        if pool is not None:
            pool.shutdown()
    return acc


def _summaries(acc: _Acc, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {k: np.zeros(n + 1) for k in ("I", "chi", "J", "I_sem", "chi_sem", "J_sem", "d_sem", "o_sem")}
    counts = np.zeros(n + 1, dtype=np.int64)
    for m in range(n + 1):
        v = np.asarray(acc.vals[m], dtype=np.float64).reshape(-1, 3)
        counts[m] = v.shape[0]
        mean = v.mean(axis=0)
        out["I"][m], out["chi"][m], out["J"][m] = mean
        if not acc.exact[m] and v.shape[0] > 1:
            sem = v.std(axis=0, ddof=1) / math.sqrt(v.shape[0])
            out["I_sem"][m], out["chi_sem"][m], out["J_sem"][m] = sem
            out["d_sem"][m] = float(np.std(v[:, 0] - v[:, 1], ddof=1)) / math.sqrt(v.shape[0])
            out["o_sem"][m] = float(np.std(v[:, 0] - v[:, 2], ddof=1)) / math.sqrt(v.shape[0])
    out["counts"] = counts
    return out


def partial_information(
    state: Any,
    dims: Sequence[int] | None = None,
    *,
    system: int | Sequence[int] = 0,
    fragments: str = "all",
    n_samples: int | None = None,
    rng: np.random.Generator | int | None = None,
    pointer: Any = None,
    optimize: bool = False,
    base: float = 2.0,
    progress: bool | Callable[..., None] = False,
    memory_limit: int | None = None,
    workers: int = 1,
) -> PartialInformation:
    """Fragment-averaged ``I(S:F)``, ``chi(Pi_S:F)`` and discord for m = 0..N (bits by default).

    Parameters
    ----------
    state : array_like or qutip.Qobj
        Ket ``(D,)`` or density matrix ``(D, D)`` of system and environment subsystems.
    dims : sequence of int, optional
        Local dimensions (any mix, e.g. qubits and qutrits); taken from a Qobj when omitted.
    system : int or sequence of int
        Index (or indices, for a composite system) of the system; the other subsystems form
        the environment, in their order.
    fragments : {"all", "sample", "contiguous", "nested"}
        ``"all"``: exact average over all ``C(N, m)`` fragments. ``"sample"``: unbiased Monte
        Carlo over ``n_samples`` uniformly random fragments per m (exact where ``C(N, m) <=
        n_samples``), with standard errors. ``"contiguous"``: the ``N - m + 1`` intervals of an
        open chain. ``"nested"``: ``F_m`` = the first m environment subsystems.
    n_samples : int, optional
        Fragments drawn per m for ``"sample"`` (default 200).
    rng : numpy.random.Generator or int, optional
        Randomness for ``"sample"`` and the qudit measurement search (seeded when an int).
    pointer : None, "computational" or (d_S, d_S) array
        Pointer basis of the measurement ``Pi_S`` (columns): default the eigenbasis of rho_S.
    optimize : bool
        Also maximise ``J(S:F)`` over rank-one projective measurements on S (qubit: Bloch
        sphere; qudit: unitaries) and return the one-way discord ``I - J``.
    base : float
        Logarithm base: 2 for bits (default), ``numpy.e`` for nats.
    progress : bool or callable
        ``progress(done, total, description)`` called after each fragment size.
    memory_limit : int, optional
        Byte limit of the up-front memory guard (default: 80% of physical memory).
    workers : int
        Threads evaluating fragments in parallel (BLAS stays pinned to one thread each;
        ignored with ``optimize=True``). 1 (default) runs serially.

    Returns
    -------
    PartialInformation

    Raises
    ------
    ValueError
        Invalid state (not normalised, not Hermitian or not positive), ``dims`` that do not
        multiply to the state size, a system index out of range, an unknown option, or an
        exact request over the memory limit (refused before allocating, naming the fragment
        count).

    Notes
    -----
    ``I(S:F) = S(S) + S(F) - S(SF)`` and ``chi(Pi_S:F) = S(F) - sum_i p_i S(rho_{F|i})`` with
    ``rho_{F|i} = <i|rho_SF|i> / p_i``. Every entropy is taken on the smaller side of a Gram
    factorisation of the state; for pure global states each pair ``F``, ``Fbar`` is computed
    once (``S(SF) = S(Fbar)``), so that ``<I>_m + <I>_{N-m} = 2 S(S)`` holds exactly.

    Examples
    --------
    >>> import numpy as np
    >>> ghz = np.zeros(16); ghz[0] = ghz[-1] = 1 / np.sqrt(2)  # (|0000> + |1111>)/sqrt 2
    >>> r = partial_information(ghz, [2, 2, 2, 2])
    >>> r.I.round(12).tolist(), r.chi.round(12).tolist()
    ([0.0, 1.0, 1.0, 2.0], [0.0, 1.0, 1.0, 1.0])
    """
    b = _check_base(base)
    if fragments not in FRAGMENT_METHODS:
        raise ValueError(f"fragments must be one of {FRAGMENT_METHODS}, got {fragments!r}")
    ns = DEFAULT_SAMPLES if n_samples is None else check_int(n_samples, "n_samples", minimum=2)
    if n_samples is not None and fragments != "sample":
        raise ValueError(f"n_samples is only used with fragments='sample', got fragments={fragments!r}")
    if not isinstance(optimize, (bool, np.bool_)):
        raise ValueError(f"optimize must be True or False, got {optimize!r}")
    if progress is True:
        raise ValueError("progress: pass a callable progress(done, total, description); the CLI draws a bar")
    if progress is not False and progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable or False, got {progress!r}")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(
        None if rng is None else check_int(rng, "rng", minimum=0))
    n_workers = check_int(workers, "workers", minimum=1)
    limit = memory_limit_bytes() if memory_limit is None else check_int(memory_limit, "memory_limit", minimum=1)
    _precheck(state, dims, system, fragments, limit)
    prep = prepare(state, dims, system, pointer, b)
    n = prep.n_env
    _check_request(prep, fragments, list(range(n + 1)), limit, bool(optimize))
    cb = progress if callable(progress) else None
    with blas_threads():
        acc = _run(prep, fragments, ns, gen, bool(optimize), cb, n_workers)
    s = _summaries(acc, n)
    i_arr, chi_arr = s["I"], s["chi"]
    extra: dict[str, Any] = {}
    if optimize:
        extra = {"J": s["J"], "one_way_discord": i_arr - s["J"], "J_sem": s["J_sem"], "one_way_discord_sem": s["o_sem"]}
    return PartialInformation(
        m=np.arange(n + 1), I=i_arr, chi=chi_arr, discord=i_arr - chi_arr,
        I_sem=s["I_sem"], chi_sem=s["chi_sem"], discord_sem=s["d_sem"], n_fragments=s["counts"],
        H_S=prep.H_S, H_pointer=prep.H_pointer, pointer_probabilities=prep.p, pointer=prep.pointer,
        units=_units(b), base=b, fragments=fragments, n_env=n, dims=prep.dims, system=prep.system,
        attrs={**({"n_samples": ns} if fragments == "sample" else {}), **({"note": prep.note} if prep.note else {})},
        **extra,
    )


__all__ = ["PartialInformation", "partial_information", "FRAGMENT_METHODS", "MAX_EXACT_FRAGMENTS"]
