"""qdarwin.dephasing (see README and docs)."""

__all__: list[str] = []
