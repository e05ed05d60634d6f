"""HopSo media: RTMP ingest through nginx-rtmp and WHIP ingest through aiortc, live HLS and the recording.

RTMP is copied as it comes; WHIP (which aiortc decodes) is encoded to H.264/AAC in a child process per publisher.

media never touches the database: its owner passes a :class:`StreamKeyAuthority` (is this stream
key valid, for which session?) and a :class:`MediaEvents` (stream status reports), serves the two
nginx-rtmp hook URLs and calls :class:`RtmpIngest` for them.
"""

from media.events import MediaEvents, NullMediaEvents, StreamInfo, StreamStatus
from media.ingest.encode import EncoderSettings
from media.ingest.hooks import HookError, RtmpHook, StreamKeyAuthority, parse_hook
from media.ingest.nginx_rtmp import (
    INSTALL_HINT,
    NginxRtmpServer,
    NginxRtmpSettings,
    RtmpAvailability,
    RtmpUnavailable,
    rtmp_availability,
)
from media.ingest.pull import PullSettings
from media.ingest.rtmp import HOOK_PUBLISH_DONE_PATH, HOOK_PUBLISH_PATH, RtmpIngest, RtmpIngestSettings
from media.ingest.whip import WhipAnswer, WhipIngest, WhipRefused, WhipSettings
from media.names import InvalidName
from media.outputs.base import PacketOutput, Publish, Resume
from media.outputs.hls import HlsOutput, HlsSettings
from media.outputs.recording import RecordingManifest, RecordingOutput, RecordingPart, RecordingSettings
from media.sessions import SessionStreams
from media.worker import StreamWorker, WorkerSettings

__all__ = [
    "HOOK_PUBLISH_DONE_PATH",
    "HOOK_PUBLISH_PATH",
    "INSTALL_HINT",
    "EncoderSettings",
    "HlsOutput",
    "HlsSettings",
    "HookError",
    "InvalidName",
    "MediaEvents",
    "NginxRtmpServer",
    "NginxRtmpSettings",
    "NullMediaEvents",
    "PacketOutput",
    "Publish",
    "PullSettings",
    "RecordingManifest",
    "RecordingOutput",
    "RecordingPart",
    "RecordingSettings",
    "Resume",
    "RtmpAvailability",
    "RtmpHook",
    "RtmpIngest",
    "RtmpIngestSettings",
    "RtmpUnavailable",
    "SessionStreams",
    "StreamInfo",
    "StreamKeyAuthority",
    "StreamStatus",
    "StreamWorker",
    "WhipAnswer",
    "WhipIngest",
    "WhipRefused",
    "WhipSettings",
    "WorkerSettings",
    "parse_hook",
    "rtmp_availability",
]
