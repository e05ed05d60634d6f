"""Every stream key HopSo issues is one the RTMP server accepts."""

from media.names import check_stream_key
from session_server.streams.keys import new_stream_key


def test_every_issued_stream_key_is_accepted_by_the_rtmp_name_check() -> None:
    # A key starting with "-" or "_" (1 in 32 of URL-safe base64 keys) used to be refused at publish time.
    keys = {new_stream_key() for _ in range(5000)}
    assert len(keys) == 5000
    for key in keys:
        assert check_stream_key(key) == key
