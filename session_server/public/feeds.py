"""A council's subscriptions: an Atom feed of its sessions and of each published record (results with their verdicts,
the signed minutes), and an iCalendar feed of its sessions with a date, which a phone's calendar app can follow."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from session_server.archive.minutes import compose
from session_server.archive.public import public_votes
from session_server.db.models import Council, CouncilSession, Minutes, MinutesStatus, SessionArchive
from session_server.public.views import council_url, session_url, when_text

ATOM = "http://www.w3.org/2005/Atom"
ICS_LINE = 75


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry(feed: ET.Element, entry_id: str, title: str, updated: datetime, link: str, summary: str) -> ET.Element:
    entry = ET.SubElement(feed, "entry")
    ET.SubElement(entry, "id").text = entry_id
    ET.SubElement(entry, "title").text = title
    ET.SubElement(entry, "updated").text = _iso(updated)
    ET.SubElement(entry, "link", href=link)
    ET.SubElement(entry, "summary").text = summary
    return entry


def _record_summary(session: CouncilSession, minutes: Minutes) -> str:
    lines = [
        f"{vote['title']}: {vote['text_vi']} {vote['verdict_vi'].capitalize()}".strip()
        for vote in public_votes(compose(minutes.content, minutes.edits), session.public)
    ]
    if minutes.status is MinutesStatus.PUBLISHED:
        lines.append("Biên bản đã ký được công bố.")
    return "\n".join(lines) or "Biên bản kỳ họp được công bố."


def atom(
    council: Council,
    sessions: list[CouncilSession],
    published: dict[int, tuple[SessionArchive, Minutes]],
    base: str,
    now: datetime,
) -> bytes:
    """Newest first: each session announced, and each record when it is published."""
    ET.register_namespace("", ATOM)
    feed = ET.Element("feed", xmlns=ATOM, attrib={"xml:lang": "vi"})
    home = f"{base}{council_url(council)}"
    ET.SubElement(feed, "id").text = home
    ET.SubElement(feed, "title").text = council.name
    ET.SubElement(feed, "subtitle").text = f"Kỳ họp, kết quả biểu quyết và biên bản của {council.name}"
    ET.SubElement(feed, "link", rel="self", href=f"{home}feed.atom")
    ET.SubElement(feed, "link", href=home)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = council.name
    entries: list[tuple[datetime, str, str, str, str]] = []
    for session in sessions:
        link = f"{base}{session_url(council, session)}"
        announced = " · ".join(p for p in ("Lịch họp", when_text(session, council)) if p)
        entries.append((session.created_at, f"{link}#lich", session.title, link, announced))
        record = published.get(session.id)
        if record is not None:
            archive, minutes = record
            assert archive.published_at is not None
            title = f"Kết quả và biên bản: {session.title}"
            entries.append((archive.published_at, f"{link}#bien-ban", title, link, _record_summary(session, minutes)))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    ET.SubElement(feed, "updated").text = _iso(entries[0][0] if entries else now)
    for updated, entry_id, title, link, summary in entries:
        _entry(feed, entry_id, title, updated, link, summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(value: str) -> str:
    """An iCalendar TEXT value (RFC 5545 §3.3.11)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > ICS_LINE:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def icalendar(council: Council, sessions: list[CouncilSession], base: str, now: datetime) -> bytes:
    """One event per dated session; a session that has ended stays, so the calendar keeps what happened."""
    host = base.split("://", 1)[-1].split("/", 1)[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//HopSo//Public calendar//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(council.name)}",
        f"X-WR-TIMEZONE:{council.timezone}",
    ]
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for session in sessions:
        assert session.starts_at is not None
        link = f"{base}{session_url(council, session)}"
        description = "\n".join([*(item.title for item in session.agenda), link])
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{session.starts_at.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"SUMMARY:{_text(f'{session.title} — {council.name}')}",
            f"LOCATION:{_text(session.place)}",
            f"DESCRIPTION:{_text(description)}",
            f"URL:{link}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
