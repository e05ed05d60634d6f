"""Speech to text for the archive: audio of a recording in, timed text out (faster-whisper, CTranslate2).

The model runs in a child process at low priority (:mod:`media.speech.process`) so that a live session on the same
server keeps its CPU; :func:`transcribe` drives that process and yields each piece's text as it is done. Nothing
here knows about sessions or the database: the owner says which spans of the recording to transcribe.
"""

from media.speech.captions import Cue, captions_webvtt
from media.speech.model import SpeechModelError, SpeechSettings, model_problem
from media.speech.runner import PieceText, Progress, SpeechError, transcribe
from media.speech.timed_text import Piece, Segment, Word

__all__ = [
    "Cue",
    "Piece",
    "PieceText",
    "Progress",
    "Segment",
    "SpeechError",
    "SpeechModelError",
    "SpeechSettings",
    "Word",
    "captions_webvtt",
    "model_problem",
    "transcribe",
]
