"""All reproducible figures, by pillar."""

from __future__ import annotations

from ._recipe import FigureRecipe

PILLARS = ("spins", "thermal", "dephasing")


def recipes(pillar: str | None = None) -> list[FigureRecipe]:
    """Recipes of one pillar (or all pillars in order)."""
    if pillar is not None and pillar not in PILLARS:
        raise ValueError(f"unknown pillar {pillar!r}; choose from {', '.join(PILLARS)}")
    out: list[FigureRecipe] = []
    for p in PILLARS if pillar is None else (pillar,):
        if p == "spins":
            from .spins import RECIPES
        elif p == "thermal":
            from .thermal import RECIPES
        else:
            from .dephasing import RECIPES
        out.extend(RECIPES)
    return out


__all__ = ["PILLARS", "recipes"]
