"""Transcripts of archived sessions: the video's sound cut into turns by the speaker log, turned into text by
`media.speech`, stored segment by segment with who had the floor, corrected by staff, searched and captioned."""
