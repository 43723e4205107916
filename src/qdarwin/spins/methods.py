"""Method choices for fragment averages (frozen dataclasses; the strings ``"series"``,
``"enumerate"``, ``"montecarlo"`` remain accepted as shorthands with default settings).

Used by :func:`qdarwin.spins.fragment_average_deficit` and
:func:`qdarwin.spins.fragment_average_information`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_real_scalar


@dataclass(frozen=True)
class Series:
    """Exact series ``(1/ln 2) sum_k c_k E_m(x^k)`` with elementary symmetric means; any N.

    Attributes
    ----------
    tol, atol : float
        Stop when the truncation bound is below ``tol`` relative, or below ``atol`` bits (and
        1e-6 relative), for every m >= 1.
    k_max : int
        Largest number of explicit terms (``tail="bound"``), >= 64.
    tail : {"euler-maclaurin", "bound"}
        Euler-Maclaurin estimate of the rest after 256 terms (default; ``stderr`` is an error
        estimate), or explicit terms up to ``k_max`` with the rigorous bound as ``stderr``.

    Examples
    --------
    >>> Series(tol=1e-12).k_max
    16384
    """

    tol: float = 1e-15
    atol: float = 1e-14
    k_max: int = 16384
    tail: str = "euler-maclaurin"

    def __post_init__(self) -> None:
        for name in ("tol", "atol"):
            v = check_real_scalar(getattr(self, name), name)
            if v < 0:
                raise ValueError(f"{name} must be >= 0, got {v}")
            object.__setattr__(self, name, v)
        object.__setattr__(self, "k_max", check_int(self.k_max, "k_max", minimum=64))
        if self.tail not in ("euler-maclaurin", "bound"):
            raise ValueError(f"tail must be 'euler-maclaurin' or 'bound', got {self.tail!r}")


@dataclass(frozen=True)
class Enumerate:
    """All ``C(N, m)`` subsets (N up to about 20; refused above 5e6 subsets before allocating)."""


@dataclass(frozen=True)
class MonteCarlo:
    """Uniform random subsets with standard errors (one random permutation per sample gives every m).

    Attributes
    ----------
    n_samples : int
        Samples per size (>= 2; ``n_samples * N`` at most 5e7).
    rng : numpy.random.Generator
        Required: the randomness is explicit.
    """

    n_samples: int = 1000
    rng: np.random.Generator | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "n_samples", check_int(self.n_samples, "n_samples", minimum=2))
        if not isinstance(self.rng, np.random.Generator):
            raise ValueError("MonteCarlo needs rng=numpy.random.Generator")


AverageMethod = Series | Enumerate | MonteCarlo


def resolve_method(
    method: str | AverageMethod,
    *,
    tol: float = 1e-15,
    atol: float = 1e-14,
    k_max: int = 16384,
    tail: str = "euler-maclaurin",
    n_samples: int = 1000,
    rng: np.random.Generator | None = None,
) -> AverageMethod:
    """A method object from a method object (returned as is) or a string with loose options.

    Examples
    --------
    >>> resolve_method("series", tol=1e-12)
    Series(tol=1e-12, atol=1e-14, k_max=16384, tail='euler-maclaurin')
    """
    if isinstance(method, (Series, Enumerate, MonteCarlo)):
        return method
    if method == "series":
        return Series(tol, atol, k_max, tail)
    if method == "enumerate":
        return Enumerate()
    if method == "montecarlo":
        if not isinstance(rng, np.random.Generator):
            raise ValueError("method='montecarlo' needs rng=numpy.random.Generator")
        return MonteCarlo(n_samples, rng)
    raise ValueError(f"method must be 'series', 'enumerate', 'montecarlo' or a Series/Enumerate/MonteCarlo object, got {method!r}")


__all__ = ["Series", "Enumerate", "MonteCarlo", "AverageMethod", "resolve_method"]
