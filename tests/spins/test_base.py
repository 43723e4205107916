"""``base=`` on every information-valued function of the spins pillar: base e = bits * ln 2."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pytest

from qdarwin import spins as S

ENV = S.SpinEnvironment.identical(4, a=0.6, theta=1.1, g=0.8, omega=0.3, p=0.3)

CASES: list[tuple[str, Callable[..., Any]]] = [
    ("holevo_deficit_pure", lambda **kw: S.holevo_deficit_pure(0.3, [0.2, 0.7], **kw)),
    ("info_pure_environment", lambda **kw: S.info_pure_environment(0.3, None, [0.2, 0.6, 0.9], [0, 2], **kw)),
    ("information_curve", lambda **kw: S.information_curve(0.3, 0.2, [0.2, 0.6, 0.9], **kw)),
    ("deficit_curve", lambda **kw: S.deficit_curve(0.3, [0.2, 0.6, 0.9], **kw)),
    ("fragment_average_deficit", lambda **kw: S.fragment_average_deficit([0.2, 0.6, 0.9], 0.3, **kw)),
    ("fragment_average_deficit_mc", lambda **kw: S.fragment_average_deficit(
        [0.2, 0.6, 0.9], 0.3, method=S.MonteCarlo(50, np.random.default_rng(1)), **kw)),
    ("fragment_average_information", lambda **kw: S.fragment_average_information([0.2, 0.6, 0.9], 0.3, 0.3, **kw)),
    ("annealed_deficit", lambda **kw: S.annealed_deficit([0.5, 0.3, 0.2], 0.3, [1.0, 2.5], **kw)),
    ("symmetric_environment_info", lambda **kw: S.symmetric_environment_info(3, 4, 0.6, 1.1, 0.0, 0.8, 0.3, 0.7, 0.3, **kw)),
    ("holevo_deficit_curve", lambda **kw: S.holevo_deficit_curve([0, 2, 4], 0.6, 1.1, 0.0, 0.8, 0.3, 0.7, 0.3, **kw)),
    ("identical_fragment_info", lambda **kw: S.identical_fragment_info(ENV, 2, 0.7, **kw)),
    ("fragment_information", lambda **kw: S.fragment_information(ENV, 0.7, [0, 3], **kw)),
]


def _numbers(x: Any) -> np.ndarray:
    if hasattr(x, "_fields"):
        return np.concatenate([_numbers(getattr(x, f)) for f in x._fields if f not in ("m", "flagged")])
    if hasattr(x, "__dataclass_fields__"):
        keys = ("mutual_information", "holevo", "discord", "H_p", "holevo_deficit")
        return np.array([getattr(x, k) for k in keys], dtype=float)
    return np.atleast_1d(np.asarray(x, dtype=float))


@pytest.mark.parametrize("name, fn", CASES, ids=[c[0] for c in CASES])
def test_base_e_is_bits_times_ln2(name: str, fn: Callable[..., Any]) -> None:
    bits = _numbers(fn())
    nats = _numbers(fn(base=math.e))
    assert np.any(bits > 0)
    np.testing.assert_allclose(nats, bits * math.log(2.0), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(_numbers(fn(base=10.0)), bits * math.log10(2.0), rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(_numbers(fn(base=2)), bits)


@pytest.mark.parametrize("name, fn", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("base", [1.0, 0.0, -2.0, math.nan, "e"])
def test_bad_base(name: str, fn: Callable[..., Any], base: Any) -> None:
    with pytest.raises(ValueError, match="base"):
        fn(base=base)


def test_method_objects_equal_strings() -> None:
    x = [0.2, 0.6, 0.9, 0.95]
    a = S.fragment_average_deficit(x, 0.3, method=S.Series(tol=1e-14))
    b = S.fragment_average_deficit(x, 0.3, method="series", tol=1e-14)
    np.testing.assert_array_equal(a.deficit, b.deficit)
    e = S.fragment_average_deficit(x, 0.3, method=S.Enumerate())
    np.testing.assert_allclose(a.deficit, e.deficit, atol=1e-13)
    with pytest.raises(ValueError, match="rng"):
        S.MonteCarlo(10)
    with pytest.raises(ValueError, match="tail"):
        S.Series(tail="none")
    with pytest.raises(ValueError, match="method must be"):
        S.fragment_average_information(x, 0.3, method=S.MonteCarlo(10, np.random.default_rng(0)))
