"""Memory-lean I(S:F_m) for branch states in the dihedral-symmetric sector of a ring.

The branch states psi_k are given by their sector coefficients ``c[k, r]`` (shape (d, D),
D ~ 2^N / 2N), never as 2^N vectors. For the interval F_m = [0, m) the weighted branches
reshape to matrices ``M_k`` of shape (2^m, 2^(N-m)) (row: the m fraction bits, column: the
N - m complement bits). Column blocks of these matrices are lifted on the fly from the
coefficients, ``M_k[row, col] = sqrt(p_k) c[k, r(b)] / sqrt(|O_r(b)|)`` with
``b = row 2^(N-m) + col``, and the Gram matrix ``K = V V^H`` of the stacked ``V = [M_0; M_1;
...]`` (side d 2^m) is accumulated block by block; ``rho_F`` is the sum of its diagonal
blocks. Both spectra give ``I(S:F_m) = S(S) + S(F) - S(SF)`` (bits by default), the same
Gram route as :func:`qdarwin.thermal.information.mi_curve` (see docs/thermal.md).

The exact even/odd split under the interval reflection (bits of the fraction and of the
complement reversed separately) is always used: the column blocks run over palindromic and
paired complement indices only, and each Gram matrix has half the side.

Peak memory: the coefficients, the int32 orbit map (4 bytes per basis state), one column
block (``block_bytes``) and the two Gram matrices (``16 (d 2^(m-1))^2`` bytes each, plus the
eigensolver workspace). Column blocks are independent, so a Dask client can compute them as
tasks whose partial Gram matrices are summed before the one eigendecomposition.

``precision="single"`` lifts and accumulates in complex64 and diagonalises in float64; its
error against ``"double"`` is listed in docs/thermal.md.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import blas

from .._checks import check_int, check_real_scalar, validate_probabilities
from .._threads import blas_threads
from ._gram import _bit_reverse_range, _eigvals_upper, _entropy, _reflection_indices
from .models import BroadcastSetup
from .sector import DihedralSector, dihedral_sector

__all__ = ["PRECISIONS", "lean_mi_curve", "sector_product_coefficients", "gram_flops", "BLOCK_BYTES"]

PRECISIONS = ("single", "double")
#: Default bytes of one lifted column block (all d branches).
BLOCK_BYTES = 32 * 2**20
_SQRT2 = math.sqrt(2.0)


def _check_precision(precision: str) -> np.dtype[Any]:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    return np.dtype(np.complex64 if precision == "single" else np.complex128)


def sector_product_coefficients(setup: BroadcastSetup, sector: DihedralSector) -> NDArray[np.complex128]:
    """Sector coefficients of the uniform product branches u_k^{(x) N}, shape (d, D).

    Every member of an orbit has the same number w of ones, so
    ``c_r = sqrt(|O_r|) u_k[0]^(N - w) u_k[1]^w`` with w the popcount of the representative;
    no 2^N vector is formed.

    Examples
    --------
    >>> from qdarwin.thermal.models import redundant
    >>> sec = dihedral_sector(6)
    >>> c = sector_product_coefficients(redundant(), sec)
    >>> bool(np.allclose(c, sec.project(redundant().initial_branches(6))))
    True
    """
    u = np.asarray(setup.single_qubit_states(), dtype=np.complex128)
    n = sector.n_sites
    w = np.bitwise_count(sector.representatives.astype(np.uint64)).astype(np.int64)
    amp = np.power(u[:, 0:1], n - w[None, :]) * np.power(u[:, 1:2], w[None, :])
    return amp * np.sqrt(sector.orbit_sizes.astype(np.float64))[None, :]


def _column_chunks(n: int, m: int, d: int, block_bytes: int) -> list[tuple[int, int]]:
    """Ranges [start, stop) of raw complement indices, about ``block_bytes`` of lifted columns each.

    About half of the integers of a range are kept (the palindromes and the smaller member
    of each reflection pair), so a range spans twice the columns that fit in one block; the
    column indices themselves are generated per range (no 2^(N - m) index arrays).
    """
    width = 2 * max(1, int(block_bytes) // (16 * d * (1 << m)))
    size = 1 << (n - m)
    return [(lo, min(size, lo + width)) for lo in range(0, size, width)]


def _herk_into(k: NDArray[Any], v: NDArray[Any]) -> NDArray[Any]:
    """k += conj(v v^H) in the upper triangle (v C-contiguous rows x cols, k Fortran)."""
    if v.shape[1] == 0:
        return k
    herk = blas.cherk if v.dtype == np.complex64 else blas.zherk
    return herk(1.0, v.T, beta=1.0, c=k, trans=2, overwrite_c=1)


def partial_grams(
    amp: NDArray[Any], n: int, m: int, chunks: Sequence[tuple[int, int]], *, sector: DihedralSector | None = None,
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Even and odd Gram matrices (upper triangles, conjugated) summed over ``chunks``.

    ``amp[k, r] = sqrt(p_k) c[k, r] / sqrt(|O_r|)`` (complex64 or complex128); the result has
    the same dtype. Runs in a Dask worker as one task of a distributed run.
    """
    sec = sector if sector is not None else dihedral_sector(n)
    d = amp.shape[0]
    k_bits = n - m
    pal, lo, hi = _reflection_indices(m)
    rows = np.concatenate([pal, lo, hi]) << k_bits
    n_pal, n_lo = pal.size, lo.size
    r_e, r_o = n_pal + n_lo, n_lo
    k_e = np.zeros((d * r_e, d * r_e), dtype=amp.dtype, order="F")
    k_o = np.zeros((d * r_o, d * r_o), dtype=amp.dtype, order="F")
    index = sec.orbit_index
    for start, stop in chunks:
        raw = np.arange(start, stop, dtype=np.int64)
        rev = _bit_reverse_range(start, stop, k_bits)
        for paired, cols in ((False, raw[rev == raw]), (True, raw[raw < rev])):
            if cols.size == 0:
                continue
            orbit = index[rows[:, None] | cols[None, :]]
            vals = amp[:, orbit]  # (d, 2^m, L)
            del orbit
            width = cols.size
            even = np.empty((d, r_e, width), dtype=amp.dtype)
            even[:, :n_pal] = vals[:, :n_pal]
            np.add(vals[:, n_pal:r_e], vals[:, r_e:], out=even[:, n_pal:])
            # even pair rows (lo + hi)/sqrt2; paired columns carry the weight sqrt2
            if paired:
                even[:, :n_pal] *= _SQRT2
            else:
                even[:, n_pal:] *= 1.0 / _SQRT2
            k_e = _herk_into(k_e, even.reshape(d * r_e, width))
            del even
            if paired and r_o:
                odd = np.subtract(vals[:, n_pal:r_e], vals[:, r_e:])
                k_o = _herk_into(k_o, odd.reshape(d * r_o, width))
    return k_e, k_o


def _spectra(k: NDArray[Any], d: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Spectra of rho_F (sum of the d diagonal blocks) and rho_SF (all of K), float64."""
    side = k.shape[0] // d
    if side == 0:
        return np.zeros(0), np.zeros(0)
    k = np.asarray(k, dtype=np.complex128, order="F")
    rho = np.zeros((side, side), dtype=np.complex128, order="F")
    for j in range(d):
        rho += k[j * side:(j + 1) * side, j * side:(j + 1) * side]
    return _eigvals_upper(rho), _eigvals_upper(k)


def _interval_grams(amp: NDArray[Any], n: int, m: int, block_bytes: int, client: Any, sector: DihedralSector | None,
                    amp_f: Any = None) -> tuple[NDArray[Any], NDArray[Any]]:
    chunks = _column_chunks(n, m, amp.shape[0], block_bytes)
    if client is None:
        return partial_grams(amp, n, m, chunks, sector=sector)
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    parts = [chunks[i::n_workers] for i in range(n_workers) if chunks[i::n_workers]]
    futures = [client.submit(partial_grams, amp_f, n, m, part, pure=False) for part in parts]
    from distributed import as_completed

    total: list[NDArray[Any]] | None = None
    for fut in as_completed(futures):
        k_e, k_o = fut.result()
        if total is None:
            total = [np.asfortranarray(k_e), np.asfortranarray(k_o)]
        else:
            total[0] += k_e
            total[1] += k_o
        fut.release()
    assert total is not None
    return total[0], total[1]


def lean_mi_curve(
    coeffs: ArrayLike,
    probs: ArrayLike,
    n_sites: int,
    *,
    base: float = 2.0,
    m_max: int | None = None,
    precision: str = "double",
    block_bytes: int = BLOCK_BYTES,
    client: Any = None,
    threads: int | None | str = "default",
) -> NDArray[np.float64]:
    """I(S:F_m), m = 0 ... N, from sector coefficients of ring-symmetric branch states.

    Same values as :func:`qdarwin.thermal.information.mi_curve` with ``ring=True`` (to
    ~1e-12 bits in double precision) without ever forming a 2^N vector.

    Parameters
    ----------
    coeffs : array_like, shape (d, D)
        Sector coefficients of the normalised branch states (D = ``dihedral_sector(N).dim``).
    probs : array_like, shape (d,)
        Branch probabilities p_k.
    n_sites : int
        Ring size N >= 3.
    base : float
        Logarithm base (2: bits).
    m_max : int, optional
        Largest fraction size computed directly (entries neither computed nor implied by
        I(N - m) = 2 S(S) - I(m) are NaN).
    precision : {"double", "single"}
        Lift and accumulate the Gram matrices in complex128 or complex64 (eigenvalues always
        in float64).
    block_bytes : int
        Size of one lifted column block (memory versus BLAS efficiency).
    client : distributed.Client, optional
        Compute the column blocks as Dask tasks (one group per worker); the partial Gram
        matrices are summed here and diagonalised once.
    threads : int, None or "default"
        BLAS threads for the Gram products and eigensolvers.

    Returns
    -------
    ndarray, shape (N + 1,)
        I(S:F_m) in bits (``base=2``).

    Examples
    --------
    >>> from qdarwin.thermal.models import redundant
    >>> sec = dihedral_sector(8)
    >>> c = sector_product_coefficients(redundant(), sec)
    >>> lean_mi_curve(c, [0.5, 0.5], 8).round(9).tolist()
    [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0]
    """
    n = check_int(n_sites, "n_sites (N)", minimum=3)
    dtype = _check_precision(precision)
    p = validate_probabilities(probs, "probs")
    c = np.asarray(coeffs)
    if c.ndim != 2 or c.shape[0] != p.size:
        raise ValueError(f"coeffs: expected shape ({p.size}, D), got {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError("coeffs: entries must be finite")
    b = check_real_scalar(base, "base")
    if b <= 0 or b == 1:
        raise ValueError(f"base must be positive and != 1, got {b}")
    block = check_int(block_bytes, "block_bytes", minimum=1)
    top = n if m_max is None else check_int(m_max, "m_max", minimum=0)
    sector = dihedral_sector(n)
    if c.shape[1] != sector.dim:
        raise ValueError(f"coeffs: expected {sector.dim} sector coefficients per branch at N = {n}, got {c.shape[1]}")
    weighted = c.astype(np.complex128) * np.sqrt(p)[:, None]
    amp = np.ascontiguousarray((weighted / np.sqrt(sector.orbit_sizes.astype(np.float64))[None, :]).astype(dtype))
    out = np.full(n + 1, np.nan)
    with blas_threads(threads):
        g = np.asarray(weighted @ weighted.conj().T)
        s_s = _entropy(np.asarray(np.linalg.eigvalsh(0.5 * (g + g.conj().T)), dtype=np.float64), b)
        out[0], out[n] = 0.0, 2.0 * s_s
        ms = [m for m in range(1, n) if m <= top and 2 * m < n]
        amp_f = client.scatter(amp, broadcast=True, hash=False) if client is not None and ms else None
        for m in ms:
            k_e, k_o = _interval_grams(amp, n, m, block, client, sector if client is None else None, amp_f)
            f_e, sf_e = _spectra(k_e, p.size)
            f_o, sf_o = _spectra(k_o, p.size)
            s_f = _entropy(np.concatenate([f_e, f_o]), b)
            s_sf = _entropy(np.concatenate([sf_e, sf_o]), b)
            out[m] = s_s + s_f - s_sf
    if n % 2 == 0:
        out[n // 2] = s_s
    for m in ms:
        out[n - m] = 2.0 * s_s - out[m]
    return out


def gram_flops(n_sites: int, d: int, m: int) -> int:
    """Real floating-point operations of the lean route for one fraction size m (Gram + eigh).

    Gram accumulation ~ 4 (d 2^(m-1))^2 2^(N-m-1) per reflection block (two blocks, Hermitian
    rank-k update), eigendecompositions ~ (16/3) side^3 for the two K blocks and the two
    rho_F blocks (eigenvalues only).

    Examples
    --------
    >>> gram_flops(26, 2, 12) > 10**12
    True
    """
    n = check_int(n_sites, "n_sites (N)", minimum=1)
    if m <= 0 or 2 * m >= n:
        return 0
    half = d * 2 ** (m - 1)
    gram = 2 * 4 * half**2 * 2 ** (n - m - 1)
    eig = 2 * (16 * half**3 // 3) + 2 * (16 * (half // d) ** 3 // 3)
    return int(gram + eig)
