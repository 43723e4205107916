"""Figure recipes for the dephasing pillar (see :mod:`qdarwin.figures._recipe`)."""

from __future__ import annotations

from .._recipe import FigureRecipe
from .fig1_cone import RECIPE as _fig1
from .fig2_negativity import RECIPE as _fig2
from .fig3_violation_map import RECIPE as _fig3
from .spec_reference_values import RECIPE as _ref

RECIPES: list[FigureRecipe] = [_fig1, _fig2, _fig3, _ref]

__all__ = ["RECIPES"]
