"""Symbolic constraint polynomials det G (``docs/dephasing.md``; uses sympy, imported lazily).

``det G >= 0`` is the paper's "symmetric form" of the last constraint. Expanded without
frequency shifts it has 6 / 22 / 130 / 822 terms for N = 3 / 4 / 5 / 6 levels; with shifts as
canonical-gauge loop frequencies 7 / 34 / 334; with shifts of all pairs (general gauge)
12 / 76 / 820.
"""

from __future__ import annotations

from typing import Any, Literal

from .._checks import check_int

Shifts = Literal["none", "canonical", "all"]
#: Largest N for the symbolic Gram matrix, and for its expanded determinant (terms grow ~ N! ).
MAX_SYMBOLIC_LEVELS = 64
MAX_EXPANDED_LEVELS = 8


def _sympy() -> Any:
    try:
        import sympy
    except ImportError as exc:  # pragma: no cover - sympy is a dependency of qdarwin
        raise ImportError("qdarwin.dephasing.symbolic needs sympy (a qdarwin dependency): `pip install sympy`") from exc
    return sympy


def gram_symbolic(n_levels: int, *, shifts: Shifts = "none") -> Any:
    """The Gram matrix G (reference level 0) as a sympy Matrix of rate symbols ``g_mn``.

    Parameters
    ----------
    n_levels : int
        Number of levels N >= 2 (symbols use 0-based level labels: ``g01``, ``g12``, ...).
    shifts : {"none", "canonical", "all"}
        No frequency shifts; canonical-gauge shifts ``p_mn`` (m, n >= 1, equal to the loop
        frequencies Phi_mn); or shifts ``w_mn`` of all pairs (general gauge, Phi = w_0m + w_mn + w_n0).

    Examples
    --------
    >>> gram_symbolic(3)[0, 1]
    g01 + g02 - g12
    """
    sp = _sympy()
    n = check_int(n_levels, "n_levels", minimum=2, maximum=MAX_SYMBOLIC_LEVELS)
    if shifts not in ("none", "canonical", "all"):
        raise ValueError(f"shifts must be 'none', 'canonical' or 'all', got {shifts!r}")

    def sym(prefix: str, a: int, b: int) -> Any:
        lo, hi = min(a, b), max(a, b)
        s = sp.Symbol(f"{prefix}{lo}{hi}" if n <= 10 else f"{prefix}{lo}_{hi}", real=True)
        return s if a <= b else -s

    def gam(a: int, b: int) -> Any:
        return sp.Integer(0) if a == b else sym("g", min(a, b), max(a, b))

    def phi(a: int, b: int) -> Any:
        if a == b or shifts == "none":
            return sp.Integer(0)
        if shifts == "canonical":
            return sym("p", a, b)
        return sym("w", 0, a) + sym("w", a, b) + sym("w", b, 0)

    rows = []
    for m in range(1, n):
        row = []
        for k in range(1, n):
            if m == k:
                row.append(2 * gam(0, m))
            else:
                row.append(gam(0, m) + gam(0, k) - gam(m, k) - sp.I * phi(m, k))
        rows.append(row)
    return sp.Matrix(rows)


def det_gram_polynomial(n_levels: int, *, shifts: Shifts = "none") -> Any:
    """Fully expanded ``det G`` as a sympy expression (see docs/dephasing.md).

    For N = 3 without shifts: ``2(g01 g12 + g12 g02 + g01 g02) - g01^2 - g12^2 - g02^2``.

    Examples
    --------
    >>> det_gram_polynomial(3)
    -g01**2 + 2*g01*g02 + 2*g01*g12 - g02**2 + 2*g02*g12 - g12**2
    """
    sp = _sympy()
    check_int(n_levels, "n_levels", minimum=2, maximum=MAX_EXPANDED_LEVELS)
    g = gram_symbolic(n_levels, shifts=shifts)
    return sp.expand(g.det(method="berkowitz"))


def det_gram_term_count(n_levels: int, *, shifts: Shifts = "none") -> int:
    """Number of terms of the expanded ``det G`` (6 / 22 / 130 / 822 for N = 3 ... 6, no shifts).

    Examples
    --------
    >>> det_gram_term_count(4)
    22
    """
    sp = _sympy()
    expr = det_gram_polynomial(n_levels, shifts=shifts)
    return len(sp.Add.make_args(expr)) if expr != 0 else 0


__all__ = ["gram_symbolic", "det_gram_polynomial", "det_gram_term_count"]
