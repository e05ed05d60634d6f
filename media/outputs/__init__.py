"""Where a stream goes: live HLS and the recording (relay comes later)."""
