"""Checks for the names that media turns into URLs and file paths."""

import re

_SESSION_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_STREAM_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.~-]{0,127}")


class InvalidName(ValueError):
    """A session or stream key that is unsafe to use in a path or URL."""


def check_session_key(session_key: str) -> str:
    """Return ``session_key`` if it is safe as one directory name, else raise :class:`InvalidName`."""
    if not _SESSION_KEY.fullmatch(session_key):
        raise InvalidName(f"session key {session_key!r} must be 1-64 of A-Z a-z 0-9 _ -")
    return session_key


def check_stream_key(stream_key: str) -> str:
    """Return ``stream_key`` if it is safe as the last part of an RTMP URL, else raise :class:`InvalidName`."""
    if not _STREAM_KEY.fullmatch(stream_key):
        raise InvalidName("stream key must be 1-128 of A-Z a-z 0-9 _ . ~ -")
    return stream_key
