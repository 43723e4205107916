"""Figure recipes for the spins pillar (see :mod:`qdarwin.figures._recipe`)."""

from __future__ import annotations

from .._recipe import FigureRecipe
from .fig1_bloch_trajectories import RECIPE as _fig1
from .fig2_chernoff_sphere import RECIPE as _fig2
from .fig3_gaussian_redundancy import RECIPE as _fig3
from .fig4_haziness import RECIPE as _fig4
from .fig5_random_band import RECIPE as _fig5
from .claims_table import RECIPE as _claims

RECIPES: list[FigureRecipe] = []
RECIPES.append(_fig1)
RECIPES.append(_fig2)
RECIPES.append(_fig3)
RECIPES.append(_fig4)
RECIPES.append(_fig5)
RECIPES.append(_claims)

__all__ = ["RECIPES"]
