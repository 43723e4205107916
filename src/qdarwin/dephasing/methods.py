"""Algorithm choices as small frozen dataclasses (strings remain accepted as shorthands).

* :func:`~qdarwin.dephasing.canonical_form`: :class:`Householder` (default, backward stable) or
  :class:`Givens` (the corrected pairwise rotations of the paper's Algorithm 1);
  ``"householder"`` / ``"givens"``.
* :func:`~qdarwin.dephasing.nearest_physical`: :class:`Admm` (default; tolerance and iteration
  cap are fields) or :class:`LeastSquares` (factorised ``G = L L^+``); ``"admm"`` / ``"lsq"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from .._checks import check_int, check_tolerance


@dataclass(frozen=True)
class Householder:
    """Canonical form by Householder elimination (Algorithm A in ``docs/dephasing.md``)."""


@dataclass(frozen=True)
class Givens:
    """Canonical form by the paper's pairwise 2x2 unitaries, updated simultaneously (Algorithm 1)."""


@dataclass(frozen=True)
class Admm:
    """Projection onto the physical set by ADMM.

    Parameters
    ----------
    tol : float
        Relative stopping tolerance on the primal and dual residuals.
    max_iter : int
        Iteration cap.
    """

    tol: float = 1e-13
    max_iter: int = 200000

    def __post_init__(self) -> None:
        check_tolerance(self.tol, "tol")
        check_int(self.max_iter, "max_iter", minimum=1)


@dataclass(frozen=True)
class LeastSquares:
    """Projection by nonlinear least squares over Cholesky factors ``G = L L^+``."""


CanonicalMethod = Union[Householder, Givens]
ProjectionMethod = Union[Admm, LeastSquares]

_CANONICAL: dict[str, CanonicalMethod] = {"householder": Householder(), "givens": Givens()}
_PROJECTION: dict[str, ProjectionMethod] = {"admm": Admm(), "lsq": LeastSquares()}


def canonical_method(method: Any) -> CanonicalMethod:
    """A :data:`CanonicalMethod` from an instance or its shorthand ``"householder"`` / ``"givens"``.

    Examples
    --------
    >>> canonical_method("givens")
    Givens()
    """
    if isinstance(method, (Householder, Givens)):
        return method
    if isinstance(method, str) and method in _CANONICAL:
        return _CANONICAL[method]
    raise ValueError(f"method must be 'householder' or 'givens' (or Householder(), Givens()), got {method!r}")


def projection_method(method: Any) -> ProjectionMethod:
    """A :data:`ProjectionMethod` from an instance or its shorthand ``"admm"`` / ``"lsq"``.

    Examples
    --------
    >>> projection_method("admm")
    Admm(tol=1e-13, max_iter=200000)
    """
    if isinstance(method, (Admm, LeastSquares)):
        return method
    if isinstance(method, str) and method in _PROJECTION:
        return _PROJECTION[method]
    raise ValueError(f"method must be 'admm' or 'lsq' (or Admm(...), LeastSquares()), got {method!r}")


__all__ = ["Householder", "Givens", "Admm", "LeastSquares", "CanonicalMethod", "ProjectionMethod"]
