"""The stored transcript read back: blocks of segments per turn, each speech's text, captions, a folded search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from media.speech import Cue, Word
from media.speech.captions import cues_of
from session_server.db.models import Minutes, MinutesStatus, TranscriptSegment
from session_server.text import terms

FROZEN = "transcripts"
"""The key under which approved minutes keep the transcript texts they were signed with."""


@dataclass
class Block:
    """Consecutive segments of one turn: a speech, or the chair between speeches."""

    speech_id: int | None
    member_id: int | None
    chair: bool
    segments: list[TranscriptSegment] = field(default_factory=list)


async def segments_of(db: AsyncSession, session_id: int) -> list[TranscriptSegment]:
    rows = await db.scalars(
        select(TranscriptSegment)
        .where(TranscriptSegment.session_id == session_id)
        .order_by(TranscriptSegment.start_ms, TranscriptSegment.id)
    )
    return list(rows)


def blocks_of(segments: Sequence[TranscriptSegment]) -> list[Block]:
    blocks: list[Block] = []
    for segment in segments:
        last = blocks[-1] if blocks else None
        if last is None or (last.speech_id, last.chair, last.member_id) != (
            segment.speech_id,
            segment.chair,
            segment.member_id,
        ):
            last = Block(segment.speech_id, segment.member_id, segment.chair)
            blocks.append(last)
        last.segments.append(segment)
    return blocks


async def speech_texts(db: AsyncSession, session_id: int) -> dict[int, str]:
    """Each speech's transcript as one text, staff's corrections over the machine's."""
    texts: dict[int, list[str]] = {}
    for segment in await segments_of(db, session_id):
        if segment.speech_id is not None and segment.current_text.strip():
            texts.setdefault(segment.speech_id, []).append(segment.current_text.strip())
    return {speech_id: " ".join(parts) for speech_id, parts in texts.items()}


async def minutes_transcripts(db: AsyncSession, minutes: Minutes) -> dict[int, str]:
    """The transcript texts the minutes read: live while a draft, as signed once approved."""
    if minutes.status is MinutesStatus.DRAFT:
        return await speech_texts(db, minutes.session_id)
    return {int(speech_id): text for speech_id, text in minutes.edits.get(FROZEN, {}).items()}


def frozen(texts: Mapping[int, str]) -> dict[str, str]:
    return {str(speech_id): text for speech_id, text in texts.items()}


def words_of(segment: TranscriptSegment) -> list[Word]:
    return [Word(**word) for word in segment.words]


def cues(segments: Sequence[TranscriptSegment], names: Mapping[int, str]) -> list[Cue]:
    """Caption cues of the segments, each named by its speaker; a corrected segment is one cue of its new text."""
    found: list[Cue] = []
    for segment in segments:
        text = segment.current_text.strip()
        if not text:
            continue
        speaker = names.get(segment.member_id, "") if segment.member_id is not None else ""
        words = words_of(segment) if segment.corrected is None else []
        found += cues_of(segment.start_ms / 1000, segment.end_ms / 1000, text, words, speaker)
    return found


def matching(segments: Sequence[TranscriptSegment], query: str) -> list[TranscriptSegment]:
    """Segments holding every word of `query` (diacritics ignored; each word may be the start of a longer one)."""
    wanted = terms(query)
    if not wanted:
        return []
    return [segment for segment in segments if all(f" {word}" in f" {segment.folded}" for word in wanted)]
