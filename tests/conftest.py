"""Test configuration: Agg backend, one BLAS thread, hypothesis profile."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("QDARWIN_BLAS_THREADS", "1")

settings.register_profile(
    "qdarwin", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("qdarwin")


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator (tests never use hidden global randomness)."""
    return np.random.default_rng(12345)
