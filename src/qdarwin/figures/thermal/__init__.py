"""Figure recipes for the thermal pillar (see :mod:`qdarwin.figures._recipe`)."""

from __future__ import annotations

from .._recipe import FigureRecipe
from .fig1_encoding_vs_redundancy import RECIPE as _fig1
from .fig2_rate_functions import RECIPE as _fig2
from .fig3_near_degeneracy import RECIPE as _fig3
from .fig5_partial_degeneracy import RECIPE as _fig5
from .projective_ensemble import RECIPE as _proj
from .plateau_vs_n import RECIPE as _plateau
from .sk_demo import RECIPE as _sk

RECIPES: list[FigureRecipe] = [_fig1, _fig2, _fig3, _fig5, _proj, _sk, _plateau]

__all__ = ["RECIPES"]
