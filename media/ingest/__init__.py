"""Ways media enters HopSo: RTMP through nginx-rtmp (WHIP comes later)."""
