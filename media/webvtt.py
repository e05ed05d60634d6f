"""WebVTT's small rules, shared by the chapters and the captions."""


def vtt_time(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def vtt_text(text: str) -> str:
    # A cue's text ends at a blank line and may not contain "-->"; markup characters are escaped.
    text = " ".join(text.split()).replace("-->", "→")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
