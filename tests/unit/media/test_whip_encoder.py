"""The WHIP encoder: decoded frames with unrelated RTP origins become H.264 + AAC in FLV on one clock."""

from __future__ import annotations

import io
from fractions import Fraction

import av

from media.ingest.encode import EncoderSettings, FlvEncoder

FPS = 30


def video_frame(index: int, origin: int, width: int = 320, height: int = 240) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "yuv420p")
    for plane in frame.planes:
        plane.update(bytes([(index * 7) % 256]) * plane.buffer_size)
    frame.pts, frame.time_base = origin + index * 3000, Fraction(1, 90000)
    return frame


def audio_frame(index: int, origin: int) -> av.AudioFrame:
    frame = av.AudioFrame(format="s16", layout="stereo", samples=960)
    frame.planes[0].update(bytes(frame.planes[0].buffer_size))
    frame.sample_rate = 48000
    frame.pts, frame.time_base = origin + index * 960, Fraction(1, 48000)
    return frame


def encode(seconds: int, resize_at: int | None = None) -> bytes:
    sink = io.BytesIO()
    encoder = FlvEncoder(sink, {"video", "audio"}, EncoderSettings(preset="ultrafast", queue_frames=1000))
    sent_audio = 0
    for index in range(seconds * FPS):
        small = resize_at is not None and index >= resize_at
        encoder.put("video", video_frame(index, 123_456_789, *((160, 120) if small else (320, 240))))
        # 20 ms audio frames keep up with the video: 50 per second.
        while sent_audio * FPS < (index + 1) * 50:
            encoder.put("audio", audio_frame(sent_audio, 987_654))
            sent_audio += 1
    encoder.close()
    assert encoder.failed is None and encoder.dropped == 0
    return sink.getvalue()


def test_frames_become_h264_with_a_keyframe_every_second_and_aac_starting_together() -> None:
    data = encode(3)

    with av.open(io.BytesIO(data), "r", format="flv") as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, video.codec_context.width, audio.codec_context.name) == ("h264", 320, "aac")
        assert video.codec_context.extradata, "avcC in the header, as the recording's MP4 needs"
        # Packets and their streams live only as long as the container.
        packets = [packet for packet in container.demux(video, audio) if packet.dts is not None]
        keyframes = [float(p.pts * p.time_base) for p in packets if p.stream.type == "video" and p.is_keyframe]
        first = {
            kind: min(float(p.pts * p.time_base) for p in packets if p.stream.type == kind)
            for kind in ("video", "audio")
        }
    assert [round(t) for t in keyframes] == [0, 1, 2]
    assert abs(first["video"] - first["audio"]) < 0.1, "the random RTP origins do not shift one track"


def test_a_publisher_that_changes_resolution_keeps_the_stream_size() -> None:
    data = encode(2, resize_at=FPS)

    with av.open(io.BytesIO(data), "r", format="flv") as container:
        sizes = {(frame.width, frame.height) for frame in container.decode(video=0)}
    assert sizes == {(320, 240)}
