"""Partial-information curves along a time evolution (user Hamiltonian or a list of states).

``hbar = 1``; times in the inverse energy unit of ``H``. Small spaces (dimension up to
``DENSE_MAX_DIM``) use one dense eigendecomposition of ``H``; larger or sparse Hamiltonians
use ``scipy.sparse.linalg.expm_multiply`` step by step. Density matrices evolve as
``U rho U^dag``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.linalg import expm_multiply

from .._checks import as_array, as_real_array
from .._threads import blas_threads
from ..info.entropy import _check_base
from ._curves import PartialInformation, partial_information
from ._state import prepare

#: Largest Hilbert-space dimension evolved by dense eigendecomposition.
DENSE_MAX_DIM = 2048
HERMITIAN_ATOL = 1e-10


def _hamiltonian(h: Any, size: int) -> tuple[Any, bool]:
    """(matrix, is_sparse) after shape and Hermiticity checks."""
    if type(h).__name__ == "Qobj" and hasattr(h, "data_as"):
        h = h.to("csr").data_as("csr_matrix")
    if sp.issparse(h):
        m = sp.csr_matrix(h, dtype=np.complex128)
        if m.shape != (size, size):
            raise ValueError(f"H: expected shape ({size}, {size}) to match the state, got {m.shape}")
        if m.nnz and not np.all(np.isfinite(m.data)):
            raise ValueError("H: contains NaN or inf")
        diff = m - m.getH()
        err = float(np.max(np.abs(diff.data))) if diff.nnz else 0.0
        if err > HERMITIAN_ATOL:
            raise ValueError(f"H: not Hermitian (max |H - H^dag| = {err:.3g})")
        return m, True
    arr = as_array(h, "H").astype(np.complex128)
    if arr.shape != (size, size):
        raise ValueError(f"H: expected shape ({size}, {size}) to match the state, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("H: contains NaN or inf")
    err = float(np.max(np.abs(arr - arr.conj().T))) if size else 0.0
    if err > HERMITIAN_ATOL:
        raise ValueError(f"H: not Hermitian (max |H - H^dag| = {err:.3g})")
    return 0.5 * (arr + arr.conj().T), False


def _evolve(h: Any, state0: Any, times: NDArray[np.float64]) -> Iterator[tuple[int, NDArray[np.complex128]]]:
    """Yield ``(index into times, state)`` in increasing time order."""
    st = as_array(state0, "state0").astype(np.complex128)
    is_ket = st.ndim == 1 or (st.ndim == 2 and st.shape[1] == 1 and st.shape[0] != 1)
    if is_ket:
        st = st.reshape(-1)
    size = st.shape[0]
    mat, sparse = _hamiltonian(h, size)
    order = np.argsort(times, kind="stable")
    if not sparse and size <= DENSE_MAX_DIM:
        with blas_threads():
            e, v = np.linalg.eigh(mat)
        coef = v.conj().T @ st
        if not is_ket:
            coef = coef @ v
        for k in order:
            ph = np.exp(-1j * e * times[k])
            out = v @ (ph * coef) if is_ket else v @ ((ph[:, None] * coef) * ph.conj()[None, :]) @ v.conj().T
            yield int(k), out
        return
    a = sp.csr_matrix(mat) if not sparse else mat
    cur, t_cur = st, 0.0
    for k in order:
        dt = float(times[k]) - t_cur
        if dt != 0.0:
            cur = expm_multiply(-1j * dt * a, cur)
            if not is_ket:
                cur = expm_multiply(-1j * dt * a, cur.conj().T)
            t_cur = float(times[k])
        yield int(k), cur


def _states_from(states: Any) -> list[Any]:
    seq = getattr(states, "states", states)
    try:
        out = list(seq)
    except TypeError:
        raise ValueError("H: expected a Hamiltonian or a sequence of states (e.g. qutip Result.states)") from None
    if not out:
        raise ValueError("states: the sequence of states is empty")
    return out


def _is_state_sequence(h: Any) -> bool:
    if hasattr(h, "states") and not hasattr(h, "shape"):
        return True
    if isinstance(h, (list, tuple)) and h and (type(h[0]).__name__ == "Qobj" or np.ndim(h[0]) >= 1):
        return True
    return False


def information_dynamics(
    H: Any,
    state0: Any,
    times: Sequence[float] | NDArray[np.float64] | None,
    dims: Sequence[int] | None = None,
    *,
    system: int | Sequence[int] = 0,
    fragments: str = "all",
    n_samples: int | None = None,
    rng: np.random.Generator | int | None = None,
    pointer: Any = None,
    base: float = 2.0,
    progress: bool | Callable[..., None] = False,
    memory_limit: int | None = None,
) -> Any:
    """Partial-information curves ``I``, ``chi`` and discord over (time, m) (bits by default).

    Parameters
    ----------
    H : array_like, scipy sparse matrix, qutip.Qobj, or a sequence of states
        Hamiltonian of system and environment (``hbar = 1``), or already evolved states
        (a list of kets / density matrices, or a qutip ``Result`` whose ``.states`` are used);
        then ``state0`` must be None.
    state0 : array_like or qutip.Qobj or None
        Initial ket or density matrix (with a Hamiltonian).
    times : sequence of float
        Times (with a Hamiltonian), or labels of the given states (default ``Result.times``
        or 0, 1, 2, ...).
    dims, system, fragments, n_samples, rng, pointer, base, memory_limit :
        As in :func:`partial_information` (the pointer default is the eigenbasis of
        ``rho_S(t)`` at each time).
    progress : bool or callable
        ``progress(done, total, "time")`` after each time.

    Returns
    -------
    xarray.Dataset
        Variables ``I``, ``chi``, ``discord`` and their ``*_sem`` over ``(time, m)``,
        ``H_S`` and ``H_pointer`` over ``time``; units in attrs.

    Examples
    --------
    >>> import numpy as np
    >>> z, one = np.diag([1.0, -1.0]), np.eye(2)
    >>> H = np.kron(z, np.kron(z, one)) + np.kron(z, np.kron(one, z))  # S records itself in E1 and E2
    >>> plus3 = np.ones(8) / np.sqrt(8)
    >>> ds = information_dynamics(H, plus3, [0.0, np.pi / 4], [2, 2, 2])
    >>> ds["I"].sel(m=2).values.round(12).tolist()
    [0.0, 2.0]
    """
    if callable(progress) is False and progress not in (False, None):
        raise ValueError("progress: pass a callable progress(done, total, description)")
    cb = progress if callable(progress) else None
    if _is_state_sequence(H):
        if state0 is not None:
            raise ValueError("state0 must be None when H is a sequence of states")
        states = _states_from(H)
        t_src = times if times is not None else getattr(H, "times", None)
        t = np.arange(len(states), dtype=np.float64) if t_src is None else as_real_array(t_src, "times").ravel()
        if t.size != len(states):
            raise ValueError(f"times: expected {len(states)} entries (one per state), got {t.size}")
        if dims is None and type(states[0]).__name__ == "Qobj":
            dims = [int(d) for d in np.ravel(states[0].dims[0])]
        pairs: Iterator[tuple[int, Any]] = iter(enumerate(states))
    else:
        if state0 is None:
            raise ValueError("state0: an initial state is required with a Hamiltonian")
        if times is None:
            raise ValueError("times: required with a Hamiltonian")
        t = as_real_array(times, "times").ravel()
        if t.size == 0:
            raise ValueError("times: give at least one time")
        if dims is None and type(state0).__name__ == "Qobj":
            dims = [int(d) for d in np.ravel(state0.dims[0])]
        prepare(state0, dims, system, pointer, _check_base(base))  # validate once, before evolving
        pairs = _evolve(H, state0, t)
    results: dict[int, PartialInformation] = {}
    for done, (k, st) in enumerate(pairs):
        results[k] = partial_information(
            st, dims, system=system, fragments=fragments, n_samples=n_samples, rng=rng, pointer=pointer,
            base=base, memory_limit=memory_limit,
        )
        if cb is not None:
            cb(done + 1, t.size, "time")
    return _dataset(t, [results[k] for k in range(t.size)])


def _dataset(t: NDArray[np.float64], res: list[PartialInformation]) -> Any:
    import xarray as xr

    first = res[0]
    data: dict[str, Any] = {}
    for name in ("I", "chi", "discord", "I_sem", "chi_sem", "discord_sem"):
        data[name] = (("time", "m"), np.stack([getattr(r, name) for r in res]), {"units": first.units})
    data["H_S"] = ("time", np.array([r.H_S for r in res]), {"units": first.units})
    data["H_pointer"] = ("time", np.array([r.H_pointer for r in res]), {"units": first.units})
    data["n_fragments"] = ("m", first.n_fragments)
    attrs = {"units": first.units, "base": first.base, "fragments": first.fragments, "n_env": first.n_env,
             "dims": list(first.dims), "system": list(first.system), "time_units": "1 / energy unit of H (hbar = 1)"}
    return xr.Dataset(data, coords={"time": t, "m": first.m}, attrs=attrs)


__all__ = ["information_dynamics", "DENSE_MAX_DIM"]
