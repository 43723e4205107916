"""Figure recipes for the thermal pillar (see :mod:`qdarwin.figures._recipe`)."""

from __future__ import annotations

from .._recipe import FigureRecipe

RECIPES: list[FigureRecipe] = []

__all__ = ["RECIPES"]
