"""Embedded nginx-rtmp is no more exposed than HopSo itself: it listens where HTTP does unless told otherwise, and
its config, which carries the hook token, is readable by HopSo's own user only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from media import NginxRtmpServer, NginxRtmpSettings
from session_server.app import create_app
from session_server.streams.service import STREAMS_KEY
from tests.conftest import make_settings
from tests.support import free_port


@pytest.mark.parametrize(
    ("overrides", "listens_on"),
    [
        ({"host": "127.0.0.1"}, "127.0.0.1"),
        ({"host": "0.0.0.0"}, "0.0.0.0"),
        ({"host": "127.0.0.1", "rtmp_host": "0.0.0.0"}, "0.0.0.0"),
    ],
)
def test_embedded_rtmp_listens_where_http_does_unless_set(
    tmp_path: Path, sqlite_database: str, overrides: dict[str, str], listens_on: str
) -> None:
    settings = make_settings(tmp_path, sqlite_database, **overrides).model_copy(update={"rtmp_mode": "embedded"})
    app = create_app(settings)

    ingest = app[STREAMS_KEY].ingest

    assert ingest is not None
    assert ingest.settings.nginx.listen_host == listens_on


async def test_the_nginx_config_with_the_hook_token_is_private(tmp_path: Path, nginx_rtmp: None) -> None:
    server = NginxRtmpServer(
        NginxRtmpSettings(
            runtime_dir=tmp_path / "run",
            on_publish_url="http://127.0.0.1:8080/internal/rtmp/publish?token=bi-mat",
            on_publish_done_url="http://127.0.0.1:8080/internal/rtmp/publish_done?token=bi-mat",
            port=free_port(),
            listen_host="127.0.0.1",
        )
    )
    await server.start()
    try:
        mode = stat.S_IMODE(server.config_path.stat().st_mode)
        assert "bi-mat" in server.config_path.read_text()
    finally:
        await server.close()

    assert mode == 0o600
