"""A motion's ballot as `voting` draws it, what tablets are sent of it, and a delegate's choice checked against it."""

from __future__ import annotations

from typing import Any

import voting
from session_server.db.models import Motion
from session_server.errors import invalid


def form_of(motion: Motion) -> voting.BallotForm:
    options = [voting.Option(str(o["key"]), str(o["name"]), str(o.get("title", ""))) for o in motion.options]
    return voting.ballot_form(motion.kind, options, motion.seats)


def ballot_view(motion: Motion) -> dict[str, Any]:
    """The ballot a tablet draws, labels included: tablets keep no list of choices of their own."""
    form = form_of(motion)
    return {
        "shape": form.shape.value,
        "choices": [{"value": c.value, "vi": c.vi, "en": c.en} for c in form.choices],
        "options": [{"key": o.key, "name": o.name, "title": o.title} for o in form.options],
        "max_picks": form.max_picks,
    }


def normalize_choice(form: voting.BallotForm, choice: Any) -> str:
    """The written form of a valid ballot on `form`; a refusal that says what this ballot asks for."""
    try:
        return voting.write_ballot(form, choice)
    except voting.InvalidChoiceError as error:
        raise invalid(voting.invalid_ballot_text(form), f"Invalid ballot: {error}.") from None
