"""Where a stream goes: live HLS, the recording, and the relay to a streaming platform (RTMP or RTMPS)."""
