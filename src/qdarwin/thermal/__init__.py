"""qdarwin.thermal (see README and docs)."""

__all__: list[str] = []
