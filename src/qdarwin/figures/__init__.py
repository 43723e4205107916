"""Figure recipes (one module per reproduced figure) and the reproduction driver.

This is an outer layer: it imports the numerical core and matplotlib; the core never
imports it.
"""

from ._recipe import PAPERS, Claim, FigureRecipe, cite, claim_close, claim_quoted_range, claim_range, claim_true
from .registry import PILLARS, recipes

__all__ = [
    "Claim",
    "FigureRecipe",
    "PAPERS",
    "cite",
    "claim_close",
    "claim_quoted_range",
    "claim_range",
    "claim_true",
    "PILLARS",
    "recipes",
]
