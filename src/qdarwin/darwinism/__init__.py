"""Quantum Darwinism of any state and any model (core: pure functions, no I/O).

* :func:`partial_information` -- fragment-averaged ``I(S:F)``, Holevo ``chi(Pi_S:F)`` and
  discord over fragment sizes (exact, Monte Carlo, contiguous or nested fragments);
* :func:`redundancy` -- ``F_delta`` and ``R_delta`` against the classical plateau ``H(Pi_S)``;
* :func:`objectivity` -- spectrum-broadcast-structure and strong-Darwinism witnesses;
* :func:`information_dynamics` -- partial-information curves along a time evolution.

Information in bits unless ``base`` says otherwise. See docs/your-own-model.md.
"""

from ._curves import PartialInformation, partial_information
from ._dynamics import information_dynamics
from ._objectivity import Objectivity, objectivity
from ._redundancy import Redundancy, redundancy

__all__ = [
    "Objectivity",
    "PartialInformation",
    "Redundancy",
    "information_dynamics",
    "objectivity",
    "partial_information",
    "redundancy",
]
