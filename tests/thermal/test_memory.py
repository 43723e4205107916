"""Tests of qdarwin.thermal.memory (memory model and guard, spec §12, §14)."""

from __future__ import annotations

import pytest

from qdarwin.thermal.memory import (
    MemoryLimitError,
    check_bytes,
    check_memory,
    estimate_memory,
    largest_feasible_n,
    memory_breakdown,
    memory_limit,
    parse_bytes,
)
from qdarwin.thermal.models import ChaoticIsing, redundant
from qdarwin.thermal.sector import DihedralSector

GIB = 2**30


class TestMemoryBreakdown:
    # spec §14: raw model for d = 2, m* = N/2 - 1: N = 22 -> 0.6 GiB, N = 24 -> 2.4 GiB, N = 28 -> 32-38 GiB
    @pytest.mark.parametrize(("n", "model_gib"), [(22, 0.6), (24, 2.4), (28, 38.0)])
    def test_spec_model_numbers(self, n: int, model_gib: float) -> None:
        assert memory_breakdown(n).raw / GIB == pytest.approx(model_gib, rel=0.03)

    def test_components_n24(self) -> None:
        b = memory_breakdown(24)
        vec = 16 * 2**24
        assert b.branches == 2 * vec and b.gram_stack == 2 * vec and b.transpose == vec
        assert b.sector_maps == vec and b.sector_transient == 40 * 2**24
        assert b.gram == 16 * (2 * 2**11) ** 2 and b.propagator == 0

    def test_methods_and_m_star(self) -> None:
        sector = memory_breakdown(20, method="sector")
        assert memory_breakdown(20, method="full").sector_maps == 0
        assert memory_breakdown(20, method="expm").propagator > memory_breakdown(20, method="full").propagator
        # CSR of the full-space Ising chain: about 20 (N + 1) 2^N bytes (N = 24: about 8 GiB)
        assert memory_breakdown(24, method="expm").propagator / GIB > 7.5
        assert memory_breakdown(20, m_star=0).gram == 0 and memory_breakdown(20, m_star=0).gram_stack == 0
        assert memory_breakdown(20, m_star=5).gram < sector.gram
        assert memory_breakdown(21).gram == 16 * (2 * 2**10) ** 2  # largest m < N/2 for odd N

    def test_validation(self) -> None:
        with pytest.raises(ValueError, match="method must be one of"):
            memory_breakdown(10, method="gpu")
        with pytest.raises(ValueError, match="m_star must be <= N"):
            memory_breakdown(10, m_star=11)
        with pytest.raises(ValueError, match="d must be >= 1"):
            memory_breakdown(10, d=0)


class TestEstimateMemory:
    # spec §14 measured peaks (method "sector", d = 2): N = 20: 0.40 GiB, 22: 0.74, 24: 2.6
    @pytest.mark.parametrize(("n", "measured_gib"), [(20, 0.40), (22, 0.74), (24, 2.6)])
    def test_covers_measured_peaks(self, n: int, measured_gib: float) -> None:
        est = estimate_memory(n) / GIB
        assert measured_gib * 0.95 <= est <= 1.5 * measured_gib

    def test_monotone(self) -> None:
        vals = [estimate_memory(n) for n in range(4, 30)]
        assert all(b > a for a, b in zip(vals, vals[1:]))
        assert estimate_memory(16, d=4) > estimate_memory(16, d=2)


class TestCheckMemory:
    def test_n40_refused(self) -> None:
        with pytest.raises(MemoryLimitError) as info:
            check_memory(40)
        msg = str(info.value)
        assert "bytes" in msg and "memory limit" in msg and "largest feasible N is" in msg
        assert isinstance(info.value, MemoryError)

    def test_small_limit_refuses_n20(self) -> None:
        with pytest.raises(MemoryLimitError, match=r"largest feasible N is \d+"):
            check_memory(20, limit="50MB")
        assert check_memory(20, limit=10 * GIB) == estimate_memory(20)

    def test_env_variable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("QDARWIN_MEMORY_LIMIT", "300MiB")
        assert memory_limit() == 300 * 2**20
        with pytest.raises(MemoryLimitError):
            check_memory(20)
        with pytest.raises(MemoryLimitError):
            ChaoticIsing(26).diagonal()
        with pytest.raises(MemoryLimitError):
            DihedralSector(26)
        with pytest.raises(MemoryLimitError):
            redundant().initial_branches(26)
        monkeypatch.setenv("QDARWIN_MEMORY_LIMIT", "12345")
        assert memory_limit() == 12345
        monkeypatch.setenv("QDARWIN_MEMORY_LIMIT", "lots")
        with pytest.raises(ValueError, match="cannot parse"):
            memory_limit()

    def test_default_limit_is_fraction_of_physical(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import os

        monkeypatch.delenv("QDARWIN_MEMORY_LIMIT", raising=False)
        phys = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        assert memory_limit() == int(0.8 * phys)

    def test_check_bytes(self) -> None:
        check_bytes(100, "tiny", limit=1000)
        with pytest.raises(MemoryLimitError, match="huge needs about 2000 bytes"):
            check_bytes(2000, "huge", limit=1000)


class TestLargestFeasibleN:
    @pytest.mark.parametrize("limit", ["300MB", "1GiB", "8GB", 64 * GIB])
    def test_consistent_with_estimate(self, limit: str | int) -> None:
        n = largest_feasible_n(2, limit=limit)
        lim = parse_bytes(limit)
        assert estimate_memory(n) <= lim < estimate_memory(n + 1)

    def test_m_star_rules(self) -> None:
        capped = largest_feasible_n(2, 10, limit=16 * GIB)
        uncapped = largest_feasible_n(2, None, limit=16 * GIB)
        assert capped >= uncapped
        assert largest_feasible_n(2, lambda n: 0, limit=16 * GIB) >= capped
        assert largest_feasible_n(2, limit=1) == 0


class TestParseBytes:
    @pytest.mark.parametrize(
        ("text", "value"),
        [("8GB", 8 * 10**9), ("512MiB", 512 * 2**20), ("1.5 GiB", 3 * 2**29), ("1000", 1000), (2048, 2048)],
    )
    def test_values(self, text: str | int, value: int) -> None:
        assert parse_bytes(text) == value

    @pytest.mark.parametrize("text", ["-1", "abc", "10 parsecs", 0, -5.0])
    def test_rejects(self, text: str | float) -> None:
        with pytest.raises(ValueError, match="memory limit"):
            parse_bytes(text)
