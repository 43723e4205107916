"""Environment Hamiltonians and broadcasting set-ups of the thermal pillar (Cao & Nussinov, arXiv:2603.15743).

* :class:`ChaoticIsing` -- the chaotic Ising chain
  :math:`H_E = J\\sum_{\\rm bonds} Z_j Z_{j+1} + \\sum_j (h_x X_j + h_z Z_j)` (ring or open chain).
* :class:`SKEnvironment` -- the all-to-all two-body (SK-like) environment (Cao & Nussinov, arXiv:2603.15743).
* :class:`BroadcastSetup` -- system probabilities and one broadcasting axis per system state;
  branch ``k`` starts in the uniform product state :math:`u_k^{\\otimes N}`.

Conventions (``docs/conventions.md``): site ``j`` is axis ``j`` of ``psi.reshape((2,)*N)`` (site 0
is the most significant bit), ``Z|0> = +|0>``, ``Y|0> = i|1>``, hbar = 1, times in units of 1/J.
All operators act on state arrays of shape ``(..., 2**N)`` (leading batch axes allowed).
"""

from __future__ import annotations

import math
from dataclasses import KW_ONLY, InitVar, dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from qdarwin._checks import as_array, check_finite, check_int, check_real_scalar, validate_probabilities
from qdarwin.thermal._common import MAX_FRACTION_SITES, _check_state_array, _expectation, _validate_sites
from qdarwin.thermal._sk import SKEnvironment
from qdarwin.thermal.memory import check_bytes

#: Default transverse field h_x = (5 + sqrt 5)/8 (Cao & Nussinov, arXiv:2603.15743).
HX_DEFAULT = (5.0 + math.sqrt(5.0)) / 8.0
#: Default longitudinal field h_z = (1 + sqrt 5)/4 (Cao & Nussinov, arXiv:2603.15743).
HZ_DEFAULT = (1.0 + math.sqrt(5.0)) / 4.0
_BOUNDARIES = ("periodic", "open")


# ----------------------------------------------------------------------------- helpers


def _bit_signs(n_sites: int, sites: Sequence[int] | None = None) -> NDArray[np.int8]:
    """``(len(sites), 2**n)`` array of Z eigenvalues +-1 of each site on every basis state."""
    idx = np.arange(2**n_sites, dtype=np.int64)
    rows = range(n_sites) if sites is None else sites
    out = np.empty((len(rows), idx.size), dtype=np.int8)
    for r, j in enumerate(rows):
        out[r] = 1 - 2 * ((idx >> (n_sites - 1 - j)) & 1)
    return out


@lru_cache(maxsize=2)
def _ising_diagonal(n_sites: int, J: float, hz: float, periodic: bool) -> NDArray[np.float64]:
    """ZZ + h_z Z diagonal of the Ising chain, computed site by site (read-only, cached)."""
    dim = 2**n_sites
    idx = np.arange(dim, dtype=np.int64)
    diag = np.zeros(dim)
    first = prev = None
    for j in range(n_sites):
        z = (1 - 2 * ((idx >> (n_sites - 1 - j)) & 1)).astype(np.int8)
        diag += hz * z
        if prev is not None:
            diag += J * (prev * z)
        else:
            first = z
        prev = z
    if periodic and n_sites >= 3:
        assert first is not None and prev is not None
        diag += J * (prev * first)
    diag.setflags(write=False)
    return diag


# ----------------------------------------------------------------------------- Ising chain


@dataclass(frozen=True)
class ChaoticIsing:
    """Chaotic Ising chain :math:`J\\sum Z_jZ_{j+1} + \\sum_j (h_x X_j + h_z Z_j)` (Cao & Nussinov, arXiv:2603.15743).

    Parameters
    ----------
    n_sites : int
        Number of environment qubits N (ring: N >= 3, open chain: N >= 2).
    J, hx, hz : float, keyword-only
        Ising coupling and fields (energy units; defaults J = 1, h_x = (5+sqrt5)/8,
        h_z = (1+sqrt5)/4, a strongly non-integrable point).
    boundary : {"periodic", "open"}, keyword-only
        Ring (bonds (j, j+1 mod N)) or open chain (N - 1 bonds).

    Raises
    ------
    ValueError
        Non-integer or too small N, non-finite couplings, unknown boundary.

    Examples
    --------
    >>> env = ChaoticIsing(4)
    >>> round(env.energy_density_product([1.0, 0.0, 0.0]), 9)   # |+x>^N: e = h_x
    0.904508497
    """

    n_sites: int
    _: KW_ONLY
    J: float = 1.0
    hx: float = HX_DEFAULT
    hz: float = HZ_DEFAULT
    boundary: str = "periodic"

    def __post_init__(self) -> None:
        if self.boundary not in _BOUNDARIES:
            raise ValueError(f"boundary must be one of {_BOUNDARIES}, got {self.boundary!r}")
        minimum = 3 if self.boundary == "periodic" else 2
        n = check_int(self.n_sites, "n_sites (N)")
        if n < minimum:
            raise ValueError(f"n_sites (N) must be >= {minimum} for boundary={self.boundary!r}, got {n}")
        if n > 62:
            raise ValueError(f"n_sites (N) must be <= 62, got {n}")
        object.__setattr__(self, "n_sites", n)
        for name in ("J", "hx", "hz"):
            object.__setattr__(self, name, check_real_scalar(getattr(self, name), name))

    # -- structure
    @property
    def dim(self) -> int:
        """Hilbert-space dimension 2**N."""
        return 2**self.n_sites

    @property
    def is_uniform_ring(self) -> bool:
        """True on a ring: H_E commutes with translations and reflection (sector applies)."""
        return self.boundary == "periodic"

    def bonds(self) -> list[tuple[int, int]]:
        """Nearest-neighbour bonds (j, j+1) (plus (N-1, 0) on a ring)."""
        n = self.n_sites
        out = [(j, j + 1) for j in range(n - 1)]
        if self.boundary == "periodic":
            out.append((n - 1, 0))
        return out

    # -- operators
    def diagonal(self) -> NDArray[np.float64]:
        """ZZ + h_z Z part of H_E on the computational basis, shape ``(2**N,)`` (read-only)."""
        check_bytes(24 * self.dim, f"Ising diagonal at N = {self.n_sites}")
        return _ising_diagonal(self.n_sites, self.J, self.hz, self.boundary == "periodic")

    def apply(self, psi: Any) -> NDArray[np.complex128]:
        """Matrix-free H_E psi for psi of shape ``(..., 2**N)``.

        The diagonal part is a precomputed vector; X_j flips axis j of the ``(2,)*N`` view.
        """
        arr = _check_state_array(psi, self.dim)
        return self._apply(arr)

    def _apply(self, psi: NDArray[np.complex128]) -> NDArray[np.complex128]:
        n = self.n_sites
        batch = psi.shape[:-1]
        out = self.diagonal() * psi
        if self.hx != 0.0:
            src = (self.hx * psi).reshape((-1,) + (2,) * n)
            view = out.reshape((-1,) + (2,) * n)
            for j in range(n):
                np.add(view, np.flip(src, axis=j + 1), out=view)
        return out.reshape(batch + (self.dim,))

    def to_sparse(self) -> sp.csr_matrix:
        """H_E as a real CSR matrix (``(N + 1) * 2**N`` stored entries)."""
        n, dim = self.n_sites, self.dim
        check_bytes(2 * 12 * (n + 1) * dim, f"sparse Ising Hamiltonian at N = {n}")
        idx = np.arange(dim, dtype=np.int64)
        cols = np.empty((dim, n + 1), dtype=np.int64)
        data = np.empty((dim, n + 1))
        cols[:, 0] = idx
        data[:, 0] = self.diagonal()
        for j in range(n):
            cols[:, j + 1] = idx ^ (1 << (n - 1 - j))
        data[:, 1:] = self.hx
        order = np.argsort(cols, axis=1)
        cols = np.take_along_axis(cols, order, axis=1)
        data = np.take_along_axis(data, order, axis=1)
        indptr = np.arange(0, (n + 1) * dim + 1, n + 1, dtype=np.int64)
        mat = sp.csr_matrix((data.ravel(), cols.ravel(), indptr), shape=(dim, dim))
        mat.has_sorted_indices = True
        return mat

    def energy(self, psi: Any) -> float | NDArray[np.float64]:
        """Energy expectation <psi|H_E|psi>/<psi|psi> (energy units; one value per batch entry)."""
        arr = _check_state_array(psi, self.dim)
        return _expectation(self._apply, arr)

    def fraction_hamiltonian(self, sites: Sequence[int], *, force: bool = False) -> NDArray[np.float64]:
        """Dense H_F keeping only the terms of H_E fully inside F (Cao & Nussinov, arXiv:2603.15743).

        For an interval of m sites this is the open chain
        :math:`J\\sum_{i=0}^{m-2} Z_iZ_{i+1} + \\sum_{i<m}(h_x X_i + h_z Z_i)`; the basis of F
        follows the order of ``sites`` (first listed site = most significant bit).

        Parameters
        ----------
        sites : sequence of int
            Unique sites of F in ``[0, N)``; at most 12 unless ``force=True``.

        Returns
        -------
        ndarray, shape ``(2**m, 2**m)``, real symmetric.

        Examples
        --------
        >>> float(ChaoticIsing(5).fraction_hamiltonian([0])[0, 1]) == HX_DEFAULT
        True
        """
        idx_sites = _validate_sites(sites, self.n_sites, force=force)
        m = len(idx_sites)
        pos = {s: i for i, s in enumerate(idx_sites)}
        z = _bit_signs(m).astype(np.float64)
        diag = self.hz * z.sum(axis=0)
        for a, b in self.bonds():
            if a in pos and b in pos:
                diag += self.J * z[pos[a]] * z[pos[b]]
        dim = 2**m
        ham = np.diag(diag)
        states = np.arange(dim)
        for i in range(m):
            ham[states ^ (1 << (m - 1 - i)), states] += self.hx
        return ham

    def energy_density_product(self, bloch_vector: Any) -> float | NDArray[np.float64]:
        """Energy density of the uniform product state with Bloch vector v (Cao & Nussinov, arXiv:2603.15743).

        Ring: :math:`e = J v_z^2 + h_x v_x + h_z v_z`; open chain: the ZZ term carries
        (N - 1)/N. Accepts ``(3,)`` or ``(..., 3)``.
        """
        v = as_array(bloch_vector, "bloch_vector").astype(np.float64)
        if v.ndim < 1 or v.shape[-1] != 3:
            raise ValueError(f"bloch_vector: expected shape (..., 3), got {tuple(v.shape)}")
        check_finite(v, "bloch_vector")
        bond_frac = len(self.bonds()) / self.n_sites
        e = self.J * bond_frac * v[..., 2] ** 2 + self.hx * v[..., 0] + self.hz * v[..., 2]
        return float(e) if np.ndim(e) == 0 else e


# ----------------------------------------------------------------------------- broadcasting


@dataclass(frozen=True, eq=False)
class BroadcastSetup:
    """System probabilities and broadcasting axes (Cao & Nussinov, arXiv:2603.15743).

    Branch k after broadcasting is :math:`u_k^{\\otimes N}` with
    :math:`u_k = \\cos\\theta|0\\rangle - i\\sin\\theta (n_k\\cdot\\sigma)|0\\rangle`.

    Parameters
    ----------
    axes : array_like, shape ``(d, 3)``
        One axis per system basis state (d >= 2); normalised internally (norm > 1e-12).
    probs : array_like, shape ``(d,)``, optional
        Probabilities p_k (default uniform, or |amplitudes|^2 when amplitudes are given).
    theta : float
        Broadcasting angle (default pi/4).
    amplitudes : array_like, shape ``(d,)``, optional
        Complex system amplitudes c_k (p_k = |c_k|^2); only projective-ensemble posteriors
        depend on their phases.
    normalize : bool, keyword-only
        Renormalise probs (and amplitudes) instead of requiring sum 1 within 1e-10.

    Examples
    --------
    >>> s = redundant()
    >>> (s.bloch_vectors().round(12) + 0.0).tolist()
    [[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]]
    """

    axes: Any
    probs: Any = None
    theta: float = math.pi / 4
    amplitudes: Any = None
    _: KW_ONLY
    normalize: InitVar[bool] = False

    def __post_init__(self, normalize: bool) -> None:
        ax = as_array(self.axes, "axes")
        if np.iscomplexobj(ax):
            raise ValueError("axes: must be real")
        ax = ax.astype(np.float64)
        if ax.ndim != 2 or ax.shape[1] != 3 or ax.shape[0] < 2:
            raise ValueError(f"axes: expected shape (d, 3) with d >= 2, got {tuple(ax.shape)}")
        for k, row in enumerate(ax):
            if not np.all(np.isfinite(row)):
                raise ValueError(f"axes: axis of branch {k} contains NaN or infinite entries")
            if np.linalg.norm(row) <= 1e-12:
                raise ValueError(f"axes: axis of branch {k} has norm <= 1e-12")
        ax = ax / np.linalg.norm(ax, axis=1, keepdims=True)
        d = ax.shape[0]
        amps = None
        if self.amplitudes is not None:
            amps = as_array(self.amplitudes, "amplitudes").astype(np.complex128).ravel()
            if amps.shape != (d,):
                raise ValueError(f"amplitudes: expected {d} entries (one per axis), got {amps.size}")
            check_finite(amps, "amplitudes")
            pa = np.abs(amps) ** 2
            if normalize:
                if pa.sum() <= 0:
                    raise ValueError("amplitudes: cannot normalise, all amplitudes are zero")
                amps = amps / math.sqrt(pa.sum())
                pa = np.abs(amps) ** 2
            validate_probabilities(pa, "amplitudes (|c_k|^2)")
        if self.probs is None:
            probs = np.abs(amps) ** 2 if amps is not None else np.full(d, 1.0 / d)
        else:
            probs = validate_probabilities(self.probs, "probs", normalize=normalize)
            if probs.shape != (d,):
                raise ValueError(f"probs: number of probabilities ({probs.size}) must equal the number of axes ({d})")
            if amps is not None and np.max(np.abs(probs - np.abs(amps) ** 2)) > 1e-10:
                raise ValueError("probs and amplitudes disagree: probs must equal |amplitudes|^2")
        theta = check_real_scalar(self.theta, "theta")
        ax.setflags(write=False)
        probs = np.array(probs, dtype=np.float64)
        probs.setflags(write=False)
        if amps is not None:
            amps.setflags(write=False)
        object.__setattr__(self, "axes", ax)
        object.__setattr__(self, "probs", probs)
        object.__setattr__(self, "theta", theta)
        object.__setattr__(self, "amplitudes", amps)

    @property
    def d(self) -> int:
        """Number of system basis states (branches)."""
        return int(self.axes.shape[0])

    def system_amplitudes(self) -> NDArray[np.complex128]:
        """System amplitudes c_k (default sqrt(p_k), real non-negative)."""
        if self.amplitudes is not None:
            return np.array(self.amplitudes)
        return np.sqrt(self.probs).astype(np.complex128)

    def single_qubit_states(self) -> NDArray[np.complex128]:
        """Branch qubit states u_k = exp(-i theta n_k.sigma)|0>, shape ``(d, 2)``."""
        c, s = math.cos(self.theta), math.sin(self.theta)
        nx, ny, nz = self.axes.T
        return np.stack([c - 1j * s * nz, s * ny - 1j * s * nx], axis=1)

    def bloch_vectors(self) -> NDArray[np.float64]:
        """Bloch vectors (x, y, z) of the u_k, shape ``(d, 3)``."""
        u = self.single_qubit_states()
        rho01 = u[:, 0] * u[:, 1].conj()
        return np.stack([2 * rho01.real, -2 * rho01.imag, np.abs(u[:, 0]) ** 2 - np.abs(u[:, 1]) ** 2], axis=1)

    def initial_branches(self, n_sites: int) -> NDArray[np.complex128]:
        """Branch states psi_k(0) = u_k^{(x)N}, shape ``(d, 2**N)`` (normalised, without sqrt p_k)."""
        n = check_int(n_sites, "n_sites (N)", minimum=1)
        if n > 62:
            raise ValueError(f"n_sites (N) must be <= 62, got {n}")
        check_bytes(32 * self.d * 2**n, f"{self.d} branch vectors at N = {n}")
        u = self.single_qubit_states()
        out = np.ones((self.d, 1), dtype=np.complex128)
        for _ in range(n):
            out = (out[:, :, None] * u[:, None, :]).reshape(self.d, -1)
        return out


def encoding(*, theta: float = math.pi / 4, probs: Any = None) -> BroadcastSetup:
    """Preset `encoding` (axes +x, -x; equal energy densities 0): branches |-y>^N, |+y>^N."""
    return BroadcastSetup([[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]], probs, theta)


def redundant(*, theta: float = math.pi / 4, probs: Any = None) -> BroadcastSetup:
    """Preset `redundant` (axes +y, -y; energy densities +-h_x): branches |+x>^N, |-x>^N."""
    return BroadcastSetup([[0.0, 1.0, 0.0], [0.0, -1.0, 0.0]], probs, theta)


def interpolating(phi: float, *, theta: float = math.pi / 4, probs: Any = None) -> BroadcastSetup:
    """Preset `interpolating(phi)`: axes +-(cos phi, sin phi, 0); Delta = 2 h_x sin phi at theta = pi/4."""
    ph = check_real_scalar(phi, "phi")
    n = [math.cos(ph), math.sin(ph), 0.0]
    return BroadcastSetup([n, [-x for x in n]], probs, theta)


def random_axis(rng: np.random.Generator, *, theta: float = math.pi / 4, probs: Any = None) -> BroadcastSetup:
    """Preset `random_axis`: axes +-n with n uniform on the unit sphere (drawn from ``rng``)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    v = rng.standard_normal(3)
    while np.linalg.norm(v) < 1e-8:
        v = rng.standard_normal(3)
    v = v / np.linalg.norm(v)
    return BroadcastSetup([v, -v], probs, theta)


def partial_degeneracy(*, theta: float = math.pi / 4, probs: Any = None) -> BroadcastSetup:
    """Preset `partial_degeneracy` (d = 4, p = 1/4): axes +y, -y, +x, -x; densities +h_x, -h_x, 0, 0."""
    axes = [[0.0, 1.0, 0.0], [0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]]
    return BroadcastSetup(axes, probs, theta)


def product_branches(bloch_vectors: Any) -> NDArray[np.complex128]:
    """Site-resolved product branches :math:`\\otimes_j |v_{k,j}\\rangle` (Cao & Nussinov, arXiv:2603.15743), shape ``(d, 2**N)``.

    Parameters
    ----------
    bloch_vectors : array_like, shape ``(d, N, 3)``
        One Bloch vector per branch and site (normalised; norm > 1e-12). The qubit state of
        v = (sin a cos b, sin a sin b, cos a) is cos(a/2)|0> + e^{ib} sin(a/2)|1>.

    Examples
    --------
    >>> psi = product_branches([[[1, 0, 0], [0, 0, -1]]])   # |+x> (x) |1>
    >>> (psi.real.round(6) + 0.0).tolist()
    [[0.0, 0.707107, 0.0, 0.707107]]
    """
    v = as_array(bloch_vectors, "bloch_vectors")
    if np.iscomplexobj(v):
        raise ValueError("bloch_vectors: must be real")
    v = v.astype(np.float64)
    if v.ndim != 3 or v.shape[2] != 3 or v.shape[0] < 1 or v.shape[1] < 1:
        raise ValueError(f"bloch_vectors: expected shape (d, N, 3), got {tuple(v.shape)}")
    check_finite(v, "bloch_vectors")
    norms = np.linalg.norm(v, axis=2)
    if np.any(norms <= 1e-12):
        k, j = np.argwhere(norms <= 1e-12)[0]
        raise ValueError(f"bloch_vectors: vector of branch {k}, site {j} has norm <= 1e-12")
    d, n = v.shape[:2]
    check_bytes(32 * d * 2**n, f"{d} branch vectors at N = {n}")
    v = v / norms[..., None]
    up = np.sqrt(np.clip(0.5 * (1 + v[..., 2]), 0.0, 1.0))
    tr = np.hypot(v[..., 0], v[..., 1])
    phase = np.where(tr > 0, (v[..., 0] + 1j * v[..., 1]) / np.where(tr > 0, tr, 1.0), 1.0)
    down = np.sqrt(np.clip(0.5 * (1 - v[..., 2]), 0.0, 1.0)) * phase
    qubits = np.stack([up, down], axis=-1).astype(np.complex128)  # (d, N, 2)
    out = np.ones((d, 1), dtype=np.complex128)
    for j in range(n):
        out = (out[:, :, None] * qubits[:, j, None, :]).reshape(d, -1)
    return out


_PRESETS: dict[str, Callable[..., BroadcastSetup]] = {
    "encoding": encoding,
    "redundant": redundant,
    "interpolating": interpolating,
    "random_axis": random_axis,
    "partial_degeneracy": partial_degeneracy,
}


def preset(name: str, **kwargs: Any) -> BroadcastSetup:
    """Broadcast preset by name (``encoding``, ``redundant``, ``interpolating`` (phi=...),
    ``random_axis`` (rng=...), ``partial_degeneracy``); keyword arguments are passed on.

    Examples
    --------
    >>> preset("partial_degeneracy").d
    4
    """
    key = str(name).replace("-", "_").lower()
    if key not in _PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(_PRESETS)}")
    try:
        return _PRESETS[key](**kwargs)
    except TypeError as exc:
        raise ValueError(f"preset {name!r}: {exc}") from None


PRESET_NAMES: tuple[str, ...] = tuple(_PRESETS)

__all__ = [
    "HX_DEFAULT",
    "HZ_DEFAULT",
    "MAX_FRACTION_SITES",
    "PRESET_NAMES",
    "ChaoticIsing",
    "SKEnvironment",
    "BroadcastSetup",
    "encoding",
    "redundant",
    "interpolating",
    "random_axis",
    "partial_degeneracy",
    "preset",
    "product_branches",
]
