"""Ways media enters HopSo: RTMP through nginx-rtmp, and WHIP (WebRTC) through aiortc."""
