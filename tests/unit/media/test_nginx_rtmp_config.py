"""The nginx config HopSo writes, and what happens when nginx or its RTMP module is missing."""

from pathlib import Path

import pytest

from media import (
    INSTALL_HINT,
    NginxRtmpServer,
    NginxRtmpSettings,
    NullMediaEvents,
    RtmpIngest,
    RtmpIngestSettings,
    RtmpUnavailable,
    rtmp_availability,
)
from media.ingest.nginx_rtmp import render_config


def settings(tmp_path: Path, **changes: object) -> NginxRtmpSettings:
    values: dict = {
        "runtime_dir": tmp_path / "run",
        "on_publish_url": "http://127.0.0.1:8080/internal/rtmp/publish?token=abc",
        "on_publish_done_url": "http://127.0.0.1:8080/internal/rtmp/publish_done?token=abc",
        "port": 19350,
    }
    return NginxRtmpSettings(**(values | changes))


def test_config_runs_nginx_as_a_child_with_everything_in_the_runtime_dir(tmp_path: Path) -> None:
    module = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")
    config = render_config(settings(tmp_path), module)
    run = (tmp_path / "run").resolve()

    assert config.startswith(f"load_module {module};\n")
    for line in ("daemon off;", "master_process on;", "worker_processes 1;", f"pid {run}/nginx.pid;",
                 f"error_log {run}/error.log info;", f"listen unix:{run}/stat.sock;", "listen 0.0.0.0:19350;",
                 "application live {", "live on;", "idle_streams on;", "publish_notify on;",
                 "allow play 127.0.0.1;", "deny play all;", "rtmp_control all;",
                 "on_publish http://127.0.0.1:8080/internal/rtmp/publish?token=abc;",
                 "on_publish_done http://127.0.0.1:8080/internal/rtmp/publish_done?token=abc;"):  # fmt: skip
        assert line in config
    assert "/var/" not in config and "/etc/" not in config


def test_a_built_in_module_needs_no_load_module(tmp_path: Path) -> None:
    assert "load_module" not in render_config(settings(tmp_path), None)


@pytest.mark.parametrize(
    "changes",
    [
        {"on_publish_url": "http://h/p; include /etc/passwd"},
        {"on_publish_done_url": "http://h/p}\nrtmp {"},
        {"on_publish_url": "https://h/p"},
        {"app": "live app"},
        {"listen_host": "0.0.0.0:1;"},
    ],
)
def test_values_that_would_bend_the_config_are_refused(tmp_path: Path, changes: dict) -> None:
    with pytest.raises(ValueError):
        render_config(settings(tmp_path, **changes), None)


def test_a_runtime_dir_too_long_for_a_unix_socket_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="too long"):
        render_config(settings(tmp_path, runtime_dir=tmp_path / ("d" * 120)), None)


def test_missing_nginx_says_what_to_install() -> None:
    availability = rtmp_availability("nginx-not-installed-here")
    assert not availability.ok
    assert "no nginx binary" in availability.reason and INSTALL_HINT in availability.reason


def test_missing_module_says_what_to_install(tmp_path: Path) -> None:
    availability = rtmp_availability("sh", module_path=tmp_path / "ngx_rtmp_module.so")
    assert not availability.ok
    assert "RTMP module not found" in availability.reason and INSTALL_HINT in availability.reason


async def test_start_without_nginx_raises_the_reason(tmp_path: Path) -> None:
    server = NginxRtmpServer(settings(tmp_path, nginx_binary="nginx-not-installed-here"))
    with pytest.raises(RtmpUnavailable, match="apt-get install nginx-light libnginx-mod-rtmp"):
        await server.start()
    assert not server.running


class NoKeys:
    async def check(self, stream_key: str) -> str | None:
        return None


async def test_ingest_without_nginx_runs_with_rtmp_off(tmp_path: Path) -> None:
    ingest_settings = RtmpIngestSettings.for_data_dir(tmp_path)
    ingest_settings.nginx.nginx_binary = "nginx-not-installed-here"
    ingest = RtmpIngest(ingest_settings, NoKeys(), NullMediaEvents())
    await ingest.start()
    assert not ingest.available
    assert ingest.unavailable_reason is not None and INSTALL_HINT in ingest.unavailable_reason
    await ingest.close()

    ingest_settings.required = True
    with pytest.raises(RtmpUnavailable):
        await RtmpIngest(ingest_settings, authority=None, events=NullMediaEvents()).start()  # type: ignore[arg-type]
