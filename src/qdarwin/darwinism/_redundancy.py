"""Redundancy ``R_delta`` of a partial-information curve (one kernel with the pillars).

``F_delta`` is the smallest fragment size whose fragment-averaged information reaches
``(1 - delta) H(Pi_S)``, the classical plateau (the Shannon entropy of the pointer
probabilities); ``R_delta = N / F_delta``. The deficit curve ``H(Pi_S) - chi`` (default) or
``H(Pi_S) - I`` is handed to :func:`qdarwin.info.redundancy.f_delta`, the kernel the spin and
thermal pillars use too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import validate_delta
from ..info.redundancy import f_delta
from ._curves import PartialInformation

#: Below this plateau (in the result's units) the system holds no pointer information to record.
H_MIN = 1e-12
#: Relative size below which a deficit is treated as round-off (exactly 0).
ROUND_OFF = 1e-12


@dataclass(frozen=True)
class Redundancy:
    """``F_delta`` and ``R_delta = N / F_delta`` against the plateau ``H(Pi_S)``.

    ``F_delta`` is ``inf`` and ``R_delta`` is 0 when the curve never reaches
    ``(1 - delta) H(Pi_S)``; both are NaN when ``H(Pi_S) = 0`` (see ``note``).
    """

    delta: float
    curve: str  #: "chi" (Holevo, default) or "I" (mutual information)
    reference: str  #: always "H(Pi_S)": Shannon entropy of the pointer probabilities
    H_reference: float  #: value of the plateau, in ``units``
    units: str
    n_env: int
    F_delta: float  #: smallest integer fragment size reaching the plateau within delta
    F_delta_interp: float  #: log-linear interpolation between integer sizes
    f_delta: float  #: F_delta / N, fraction of the environment
    R_delta: float  #: N / F_delta
    R_delta_interp: float  #: N / F_delta_interp
    note: str = ""


def redundancy(result: PartialInformation, delta: float, *, curve: str = "chi") -> Redundancy:
    """Redundancy of a partial-information result at information deficit ``delta``.

    Parameters
    ----------
    result : PartialInformation
        Output of :func:`partial_information`.
    delta : float in (0, 1)
        Allowed information deficit, as a fraction of ``H(Pi_S)``.
    curve : {"chi", "I"}
        Curve compared with the plateau: the Holevo quantity (default; never exceeds
        ``H(Pi_S)``) or the mutual information.

    Returns
    -------
    Redundancy

    Examples
    --------
    >>> import numpy as np
    >>> from qdarwin.darwinism import partial_information
    >>> ghz = np.zeros(16); ghz[0] = ghz[-1] = 1 / np.sqrt(2)
    >>> r = redundancy(partial_information(ghz, [2, 2, 2, 2]), 0.1)
    >>> r.F_delta, r.R_delta
    (1.0, 3.0)
    """
    if not isinstance(result, PartialInformation):
        raise ValueError(f"result must be a PartialInformation, got {type(result).__name__}")
    dl = validate_delta(delta)
    if curve not in ("chi", "I"):
        raise ValueError(f"curve must be 'chi' or 'I', got {curve!r}")
    h = float(result.H_pointer)
    n = result.n_env
    common: dict[str, Any] = {
        "delta": dl, "curve": curve, "reference": "H(Pi_S)", "H_reference": h, "units": result.units, "n_env": n,
    }
    if h <= H_MIN:
        nan = math.nan
        return Redundancy(**common, F_delta=nan, F_delta_interp=nan, f_delta=nan, R_delta=nan, R_delta_interp=nan,
                          note="H(Pi_S) = 0: the system has no pointer entropy to record; redundancy is undefined")
    values = np.asarray(result.chi if curve == "chi" else result.I, dtype=np.float64)
    deficits = h - values
    # deficits within round-off of zero are zero (otherwise the log-linear interpolation of
    # f_delta would read 1e-16 as a finite decade count)
    deficits[np.abs(deficits) <= ROUND_OFF * h] = 0.0
    fi, fc = f_delta(deficits, dl, h)
    note = "" if math.isfinite(fi) else f"the curve never reaches (1 - delta) H(Pi_S) = {(1 - dl) * h:.6g} {result.units}"
    r_i = n / fi if math.isfinite(fi) else 0.0
    r_c = n / fc if math.isfinite(fc) and fc > 0 else (0.0 if not math.isfinite(fc) else math.inf)
    return Redundancy(**common, F_delta=float(fi), F_delta_interp=float(fc), f_delta=float(fi) / n,
                      R_delta=float(r_i), R_delta_interp=float(r_c), note=note)


__all__ = ["Redundancy", "redundancy"]
