"""Energy statistics of environment fractions (Cao & Nussinov, arXiv:2603.15743; docs/thermal-analysis.md).

Branch-resolved energy law of a fraction F: with the fraction Hamiltonian
``H_F = sum_a E_a |a><a|`` (only the terms of ``H_E`` inside F, open ends) and the reduced
state of *one* branch ``rho_F^(k) = tr_{F-bar} |psi_k><psi_k|``, the law is
``P_k(a) = <a| rho_F^(k) |a>``. Levels of ``H_F`` equal within ``merge_tol`` (default 1e-10)
are merged (their probabilities summed), so the law depends only on the energy values.

Energies are in units of J (``hbar = 1``); densities are energies per site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._checks import as_array, check_finite, check_real_scalar, validate_subsystems
from .._threads import blas_threads

from ._common import LATE_WINDOW, MAX_FRACTION_SITES
from .energy_law import MERGE_TOL, FractionEnergyLaw, _merge_levels, _moments, make_energy_law

if TYPE_CHECKING:
    from .models import BroadcastSetup, ChaoticIsing, SKEnvironment

#: A fraction: an int m means the interval [0, m); otherwise a sequence of unique sites.
Fraction = int | Sequence[int]


def _n_sites(env: Any) -> int:
    return int(env.n_sites)


def _fraction_sites(fraction: Fraction, n_sites: int) -> list[int]:
    if isinstance(fraction, (int, np.integer)) and not isinstance(fraction, bool):
        m = int(fraction)
        if not 1 <= m <= n_sites:
            raise ValueError(f"fraction size m must lie in [1, {n_sites}], got {m}")
        return list(range(m))
    if isinstance(fraction, bool):  # list(True) raised this TypeError before; now it names the argument
        raise TypeError(f"fraction: expected a size m or a sequence of sites, got {fraction!r}")
    sites = validate_subsystems(list(fraction), n_sites, "sites")
    if not sites:
        raise ValueError("sites: the fraction must contain at least one site")
    return sites


def _branch_array(branches: ArrayLike, n_sites: int) -> NDArray[np.complex128]:
    psi = np.asarray(as_array(branches, "branches"))
    if psi.ndim == 1:
        psi = psi[None, :]
    if psi.ndim != 2 or psi.shape[1] != 2**n_sites:
        raise ValueError(
            f"branches: expected shape (d, 2**{n_sites}) = (d, {2**n_sites}), got {psi.shape}"
        )
    psi = psi.astype(np.complex128, copy=False)
    check_finite(psi, "branches")
    return psi


def _check_normalised(psi: NDArray[np.complex128]) -> None:
    norms = np.linalg.norm(psi, axis=1)
    if np.any(np.abs(norms - 1.0) > 1e-8):
        raise ValueError(
            f"branches: every branch must be normalised, got norms {np.round(norms, 10).tolist()}"
        )


def fraction_spectrum(env: ChaoticIsing | SKEnvironment, sites: Sequence[int]) -> tuple[NDArray[np.float64], NDArray[Any]]:
    """Eigen-decomposition ``(E, V)`` of the fraction Hamiltonian of ``env`` on ``sites``.

    ``env.fraction_hamiltonian(sites)`` provides H_F; refused for more than 12 sites.
    ``V`` is real when H_F is real (Ising chain), which halves the cost of the energy law.

    Examples
    --------
    One site: ``H_F = h_x X + h_z Z`` has eigenvalues ``+-(h_x^2 + h_z^2)^(1/2)``.

    >>> from qdarwin.thermal.models import ChaoticIsing
    >>> evals, _ = fraction_spectrum(ChaoticIsing(4), [2])
    >>> evals.round(9).tolist()
    [-1.213525492, 1.213525492]
    """
    if len(sites) > MAX_FRACTION_SITES:
        raise ValueError(
            f"sites: H_F diagonalisation limited to m <= {MAX_FRACTION_SITES} sites, got m = {len(sites)}"
        )
    h = np.asarray(env.fraction_hamiltonian(list(sites)))
    if np.iscomplexobj(h) and np.max(np.abs(h.imag), initial=0.0) == 0.0:
        h = h.real
    with blas_threads():
        evals, evecs = np.linalg.eigh(h)
    return evals, evecs


def _fraction_matrix(
    psi: NDArray[np.complex128], sites: Sequence[int], n_sites: int
) -> NDArray[np.complex128]:
    """Branch states as (d, 2^m, 2^(N-m)) with the fraction sites first (in the given order)."""
    d = psi.shape[0]
    m = len(sites)
    if list(sites) == list(range(m)):
        return psi.reshape(d, 2**m, 2 ** (n_sites - m))
    t = psi.reshape((d,) + (2,) * n_sites)
    t = np.moveaxis(t, [1 + s for s in sites], list(range(1, m + 1)))
    return np.ascontiguousarray(t).reshape(d, 2**m, 2 ** (n_sites - m))


def _law_probs(
    psi: NDArray[np.complex128], sites: Sequence[int], n_sites: int, evecs: NDArray[Any]
) -> NDArray[np.float64]:
    """P_k(a) = sum_r |<a| psi_k(., r)>|^2 for every eigenvector a of H_F (unmerged)."""
    mat = _fraction_matrix(psi, sites, n_sites)
    d, dim_f = mat.shape[:2]
    out = np.empty((d, dim_f))
    with blas_threads():
        for k in range(d):
            if np.isrealobj(evecs):
                block = np.ascontiguousarray(mat[k]).view(np.float64)  # (2^m, 2 * rest) real view
                amp = evecs.T @ block
                out[k] = np.einsum("ar,ar->a", amp, amp)
            else:
                amp = evecs.conj().T @ mat[k]
                out[k] = np.einsum("ar,ar->a", amp.real, amp.real) + np.einsum(
                    "ar,ar->a", amp.imag, amp.imag
                )
    return out


def fraction_energy_law(
    env: ChaoticIsing | SKEnvironment, branches: ArrayLike, sites: Fraction, *, merge_tol: float = MERGE_TOL
) -> FractionEnergyLaw:
    """Branch-resolved energy law of a fraction.

    Parameters
    ----------
    env : ChaoticIsing or SKEnvironment
        Anything with ``n_sites`` and ``fraction_hamiltonian(sites)``.
    branches : array_like, shape (d, 2**N)
        Normalised branch states psi_k (without sqrt(p_k)); site 0 is the most significant bit.
    sites : int or sequence of int
        The fraction: an int m means the interval [0, m); otherwise a list of unique sites.
        At most 12 sites.
    merge_tol : float
        Levels of H_F closer than this are merged (default 1e-10).

    Returns
    -------
    FractionEnergyLaw
        Levels, probabilities, mean and variance densities (energy units per site).

    Raises
    ------
    ValueError
        Bad shapes or sites, more than 12 sites, non-finite states.

    Notes
    -----
    ``P_k(a) = <a| tr_{F-bar} |psi_k><psi_k| |a>`` computed as squared norms of the
    amplitudes ``(V^dag M_k)_{a r}`` with ``M_k`` the (2^m, 2^(N-m)) reshaping of psi_k;
    the reduced density matrix is never formed. Cost O(d 2^(N+m)).

    Examples
    --------
    A product state of |+> spins on one site of a chain with only an X field: E = +h_x.

    >>> class Env:
    ...     n_sites = 2
    ...     def fraction_hamiltonian(self, sites):
    ...         return 0.5 * np.array([[0.0, 1.0], [1.0, 0.0]])
    >>> plus = np.full(4, 0.5)
    >>> law = fraction_energy_law(Env(), plus[None, :], [1])
    >>> round(float(law.mean_density[0]), 12), round(float(law.var_density[0]), 12)
    (0.5, 0.0)
    """
    n = _n_sites(env)
    psi = _branch_array(branches, n)
    _check_normalised(psi)
    site_list = _fraction_sites(sites, n)
    tol = check_real_scalar(merge_tol, "merge_tol")
    evals, evecs = fraction_spectrum(env, site_list)
    probs = _law_probs(psi, site_list, n, evecs)
    probs /= probs.sum(axis=1, keepdims=True)
    e_m, p_m = _merge_levels(evals, probs, tol)
    mean, var = _moments(e_m, p_m, len(site_list))
    return FractionEnergyLaw(e_m, p_m, mean, var, len(site_list))


def average_energy_laws(laws: Sequence[FractionEnergyLaw]) -> FractionEnergyLaw:
    """Average of energy laws of the same fraction (e.g. over the late-time window).

    Probabilities are averaged (never states); all laws must share the same levels.

    Examples
    --------
    >>> a = make_energy_law([0.0, 1.0], [[1.0, 0.0]], 1)
    >>> b = make_energy_law([0.0, 1.0], [[0.0, 1.0]], 1)
    >>> average_energy_laws([a, b]).probs.tolist()
    [[0.5, 0.5]]
    """
    laws = list(laws)
    if not laws:
        raise ValueError("laws: need at least one energy law to average")
    ref = laws[0]
    for law in laws[1:]:
        if (
            law.m != ref.m
            or law.energies.shape != ref.energies.shape
            or not np.allclose(law.energies, ref.energies, atol=1e-9, rtol=0)
        ):
            raise ValueError(
                "laws: all energy laws must belong to the same fraction (same levels and m)"
            )
        if law.probs.shape != ref.probs.shape:
            raise ValueError("laws: all energy laws must have the same number of branches")
    probs = np.mean([law.probs for law in laws], axis=0)
    mean, var = _moments(ref.energies, probs, ref.m)
    return FractionEnergyLaw(ref.energies.copy(), probs, mean, var, ref.m)


def time_averaged_energy_laws(
    env: ChaoticIsing | SKEnvironment,
    setup_or_branches: BroadcastSetup | ArrayLike,
    fractions: Iterable[Fraction],
    *,
    times: ArrayLike = LATE_WINDOW,
    method: str = "auto",
    merge_tol: float = MERGE_TOL,
    progress: Callable[[int, int, str], None] | None = None,
    on_state: Callable[[float, NDArray[np.complex128]], None] | None = None,
) -> tuple[FractionEnergyLaw, ...]:
    """Energy laws of several fractions averaged over a time window (default t in {20,...,40}).

    The branches are evolved once with :func:`qdarwin.thermal.evolution.iter_branch_states`
    (``method`` as there); ``H_F`` is diagonalised once per fraction. Probabilities are
    averaged, never states.

    Parameters
    ----------
    env : ChaoticIsing or SKEnvironment
    setup_or_branches : BroadcastSetup or array_like, shape (d, 2**N)
        Initial branches (as accepted by ``iter_branch_states``).
    fractions : iterable of int or site lists
        An int m means the interval [0, m).
    times : array_like
        Times of the window (units 1/J).
    method : str
        Evolution method.
    merge_tol : float
        Level merging tolerance (default 1e-10).
    progress : callable, optional
        ``progress(done, total, description)`` after each time.
    on_state : callable, optional
        ``on_state(t, branches)`` called at each time with the evolved branches, so other
        quantities (e.g. I(S:F)) can be computed along the same evolution.

    Returns
    -------
    tuple of FractionEnergyLaw
        One law per fraction, in the order given.

    Examples
    --------
    At t = 0 the ``redundant`` branches are |+x> and |-x> on every site: one site has mean
    energy +-h_x.

    >>> from qdarwin.thermal.models import ChaoticIsing, redundant
    >>> (law,) = time_averaged_energy_laws(ChaoticIsing(4), redundant(), [1], times=[0.0])
    >>> law.mean_density.round(9).tolist()
    [0.904508497, -0.904508497]
    """
    from .evolution import iter_branch_states

    n = _n_sites(env)
    site_lists = [_fraction_sites(f, n) for f in fractions]
    if not site_lists:
        raise ValueError("fractions: need at least one fraction")
    tol = check_real_scalar(merge_tol, "merge_tol")
    t_arr = np.atleast_1d(np.asarray(times, dtype=np.float64))
    if t_arr.size == 0:
        raise ValueError("times: need at least one time")
    spectra = [fraction_spectrum(env, s) for s in site_lists]
    sums = [np.zeros((0,))] * len(site_lists)
    count = 0
    for t_now, psi in iter_branch_states(env, setup_or_branches, t_arr, method=method):
        for i, (s, (_, vecs)) in enumerate(zip(site_lists, spectra)):
            p = _law_probs(np.asarray(psi), s, n, vecs)
            p /= p.sum(axis=1, keepdims=True)
            sums[i] = p if count == 0 else sums[i] + p
        if on_state is not None:
            on_state(float(t_now), psi)
        count += 1
        if progress is not None:
            progress(count, int(t_arr.size), "energy laws")
    out = []
    for s, (evals, _), p_sum in zip(site_lists, spectra, sums):
        e_m, p_m = _merge_levels(evals, p_sum / count, tol)
        mean, var = _moments(e_m, p_m, len(s))
        out.append(FractionEnergyLaw(e_m, p_m, mean, var, len(s)))
    return tuple(out)


def global_energy_law(
    env: ChaoticIsing | SKEnvironment, setup_or_branches: BroadcastSetup | ArrayLike, *, max_dim: int = 4096
) -> FractionEnergyLaw:
    """Conserved global energy law ``P_k(n) = |<n|psi_k(0)>|^2`` over eigenstates of H_E.

    Its SCGF with m = N gives the exponent implied by the conserved cumulants (reference value: 0.171 at
    N = 16 for ``redundant``). On a uniform ring with dihedral-invariant branches (every preset)
    the symmetric sector is diagonalised (:class:`qdarwin.thermal.sector.DihedralSector`),
    otherwise the full Hamiltonian. Refused when the matrix to diagonalise exceeds ``max_dim``.

    Parameters
    ----------
    env : ChaoticIsing
        Environment (anything with ``n_sites``, ``to_sparse``; ``is_uniform_ring`` enables
        the sector).
    setup_or_branches : BroadcastSetup or array_like, shape (d, 2**N)
        Initial branch states (the law is time independent).
    max_dim : int
        Largest dense diagonalisation allowed (default 4096: N = 12 full, N = 18 sector).

    Returns
    -------
    FractionEnergyLaw
        With ``m = N``: levels of H_E (degenerate levels merged within 1e-10) and each branch's
        probabilities; ``mean_density`` = e_k and ``var_density`` = Var_k(H_E)/N.

    Examples
    --------
    >>> from qdarwin.thermal.models import ChaoticIsing, redundant
    >>> law = global_energy_law(ChaoticIsing(6), redundant())
    >>> law.mean_density.round(9).tolist(), law.m
    ([0.904508497, -0.904508497], 6)
    """
    n = _n_sites(env)
    if hasattr(setup_or_branches, "initial_branches"):
        psi = np.asarray(setup_or_branches.initial_branches(n), dtype=np.complex128)
    else:
        psi = _branch_array(setup_or_branches, n)
        _check_normalised(psi)
    limit = int(max_dim)
    coeffs = None
    if bool(getattr(env, "is_uniform_ring", False)):
        from .sector import dihedral_sector

        sector = dihedral_sector(n)
        try:
            coeffs = sector.project(psi)
        except ValueError:
            coeffs = None
        if coeffs is not None:
            if sector.dim > limit:
                raise ValueError(
                    f"global energy law: sector dimension {sector.dim} exceeds max_dim = {limit}"
                )
            ham = sector.hamiltonian(env).toarray()
    if coeffs is None:
        if 2**n > limit:
            raise ValueError(f"global energy law: dimension 2**{n} exceeds max_dim = {limit}")
        ham = env.to_sparse().toarray()
        coeffs = psi
    with blas_threads():
        evals, evecs = np.linalg.eigh(ham)
        amp = coeffs @ evecs.conj()
    probs = amp.real**2 + amp.imag**2
    probs /= probs.sum(axis=1, keepdims=True)
    e_m, p_m = _merge_levels(evals, probs, MERGE_TOL)
    mean, var = _moments(e_m, p_m, n)
    return FractionEnergyLaw(e_m, p_m, mean, var, n)


def energy_densities(env: ChaoticIsing | SKEnvironment, branches_or_setup: BroadcastSetup | ArrayLike) -> NDArray[np.float64]:
    """Conserved energy densities ``e_k = <psi_k|H_E|psi_k> / N`` of the branches.

    Parameters
    ----------
    env : ChaoticIsing or SKEnvironment
    branches_or_setup : BroadcastSetup or array_like, shape (d, 2**N)
        A setup uses the product-state closed form when ``env`` offers
        ``energy_density_product`` (Ising chain); otherwise the branches
        ``setup.initial_branches(N)`` are used with ``env.energy``.

    Returns
    -------
    ndarray, shape (d,)
        Energy per site (units of J).

    Examples
    --------
    >>> from qdarwin.thermal.models import ChaoticIsing, redundant
    >>> energy_densities(ChaoticIsing(5), redundant()).round(9).tolist()
    [0.904508497, -0.904508497]
    """
    n = _n_sites(env)
    if hasattr(branches_or_setup, "bloch_vectors") and hasattr(
        branches_or_setup, "initial_branches"
    ):
        setup = branches_or_setup
        if hasattr(env, "energy_density_product"):
            return np.array(
                [float(env.energy_density_product(v)) for v in np.asarray(setup.bloch_vectors())]
            )
        psi = np.asarray(setup.initial_branches(n))
    else:
        psi = _branch_array(branches_or_setup, n)
        _check_normalised(psi)
    return np.array([float(env.energy(p)) / n for p in psi])


__all__ = [
    "LATE_WINDOW",
    "FractionEnergyLaw",
    "average_energy_laws",
    "energy_densities",
    "fraction_energy_law",
    "fraction_spectrum",
    "global_energy_law",
    "make_energy_law",
    "time_averaged_energy_laws",
]
