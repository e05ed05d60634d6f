"""What the public front door, a council's page, its search and the staff's sharing panel answer."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class PublicCouncilOut(BaseModel):
    id: int
    slug: str
    name: str
    short_name: str
    url: str
    live: int
    """How many of its public sessions are live now."""


class PublicSessionLinkOut(BaseModel):
    id: int
    slug: str
    title: str
    status: str
    starts_at: datetime | None
    place: str
    url: str
    agenda: list[str]


class CouncilFrontOut(BaseModel):
    council: PublicCouncilOut
    live: list[PublicSessionLinkOut]
    upcoming: list[PublicSessionLinkOut]
    atom_url: str
    calendar_url: str


class PublicSearchHitOut(BaseModel):
    kind: str
    """'session' (an archived session), 'result' (a vote's result) or 'document' (a page of a public document)."""
    title: str
    session_title: str
    snippet: str
    url: str
    page: int | None = None
    video_url: str | None = None
    """For a document page that was shown during the session: that moment in the archived video."""


class PublicSearchOut(BaseModel):
    query: str
    hits: list[PublicSearchHitOut]


class PublicLinkOut(BaseModel):
    """How staff share a session: its address, the QR code that opens it, the poster to print, the portal snippet."""

    url: str
    qr_svg: str
    poster_url: str
    embed_url: str
    embed_html: str
