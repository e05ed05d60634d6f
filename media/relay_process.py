"""The relay's network side, run as its own process: FLV on stdin, copied to a platform's RTMP or RTMPS URL.

PyAV holds the GIL while an output connects and writes, so a platform that stalls would stall every thread of
the process that muxes to it; in a child process it stalls only the child.
Usage: ``python -m media.relay_process URL OPEN_TIMEOUT WRITE_TIMEOUT``.
"""

import sys

import av


def relay(url: str, open_timeout: float, write_timeout: float) -> None:
    with av.open(sys.stdin.buffer, "r", format="flv") as source:
        streams = [stream for stream in (*source.streams.video[:1], *source.streams.audio[:1])]
        with av.open(url, "w", format="flv", timeout=(open_timeout, write_timeout)) as target:
            copies = {stream.index: target.add_stream_from_template(stream) for stream in streams}
            for packet in source.demux(streams):
                if packet.dts is None:
                    continue
                packet.stream = copies[packet.stream.index]
                target.mux(packet)


if __name__ == "__main__":
    try:
        relay(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
    except (av.FFmpegError, OSError) as exc:
        sys.stderr.write(f"relay stopped: {getattr(exc, 'strerror', None) or type(exc).__name__}\n")
        sys.exit(1)
