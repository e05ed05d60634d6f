"""What of an archived session the public may see, decided in one place (DESIGN.md §10).

A public session shows its video and chapters, every vote's result (named ballots with names, secret ballots as
totals), its signed minutes and its public documents. A closed session (họp kín) shows only its title, date and the
resolutions it passed. Internal and restricted documents never appear.
"""

from __future__ import annotations

from typing import Any

from session_server.db.models import MotionKind
from session_server.text import index_form


def public_votes(minutes: dict[str, Any], public_session: bool) -> list[dict[str, Any]]:
    votes = []
    for item in minutes["items"]:
        for motion in item["motions"]:
            if motion["status"] != "closed":
                continue
            if not public_session and not (motion["kind"] == MotionKind.RESOLUTION.value and motion.get("passed")):
                continue
            vote = {
                "agenda_item_id": item["id"],
                "motion_id": motion["id"],
                "title": motion["title"],
                "ballot_type": motion["ballot_type"],
                "passed": bool(motion.get("passed")),
                "text_vi": motion["text_vi"],
                "text_en": motion["text_en"],
                "verdict_vi": motion.get("verdict_vi", ""),
                "verdict_en": motion.get("verdict_en", ""),
                "named": motion.get("named", []) if public_session else [],
            }
            votes.append(vote)
    return votes


def search_text(minutes: dict[str, Any]) -> str:
    """The folded words a public search matches: only what the public may see of the session."""
    session = minutes["session"]
    words = [session["title"]]
    if session["public"]:
        words.append(session["place"])
        for item in minutes["items"]:
            words.append(item["title"])
            words += [document["title"] for document in item["documents"]]
            words += [speech["speaker"] for speech in item["speeches"]]
    words += [vote["title"] for vote in public_votes(minutes, session["public"])]
    return index_form(" ".join(words))
