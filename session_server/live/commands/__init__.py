"""Live-session commands, one module per area; each registers its commands with the registry on import."""

from session_server.live.commands import agenda, attendance, lifecycle, presentation, speakers, stream, votes

__all__ = ["agenda", "attendance", "lifecycle", "presentation", "speakers", "stream", "votes"]
