"""Figure recipes for the spins pillar (see :mod:`qdarwin.figures._recipe`)."""

from __future__ import annotations

from .._recipe import FigureRecipe
from .fig2_chernoff_sphere import RECIPE as _fig2
from .claims_table import RECIPE as _claims

RECIPES: list[FigureRecipe] = []
RECIPES.append(_fig2)
RECIPES.append(_claims)

__all__ = ["RECIPES"]
