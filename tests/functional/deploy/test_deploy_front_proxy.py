"""The front nginx (config/nginx/front.conf), running here in front of two small aiohttp replicas."""

from __future__ import annotations

import asyncio
import re
import tomllib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from tests.support import free_port


@dataclass
class Front:
    url: str
    port: int
    hls: Path
    seen_by_app: list[str] = field(default_factory=list)


def replica(name: str, seen: list[str]) -> web.Application:
    """A stand-in for one HopSo process: says who it is and what reached it."""

    @web.middleware
    async def record(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        seen.append(request.path)
        return await handler(request)

    async def socket_io(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        if not ws.can_prepare(request).ok:
            return web.Response(text=name)
        await ws.prepare(request)
        async for message in ws:
            await ws.send_str(f"{name}:{message.data}")
        return ws

    async def headers(request: web.Request) -> web.Response:
        return web.json_response({"replica": name, "headers": dict(request.headers), "filler": "x" * 4096})

    async def upload(request: web.Request) -> web.Response:
        size = 0
        async for chunk in request.content.iter_any():
            size += len(chunk)
        return web.json_response({"size": size})

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(text="hopso_up 1\n")

    app = web.Application(middlewares=[record])
    app.router.add_get("/socket.io/", socket_io)
    app.router.add_get("/api/headers", headers)
    app.router.add_post("/api/upload", upload)
    app.router.add_get("/metrics", metrics)
    app.router.add_post("/internal/rtmp/publish_done", upload)
    return app


@pytest.fixture
async def front(
    aiohttp_server: AiohttpServer,
    render_nginx: Callable[[str, dict[str, str]], Path],
    start_nginx: Callable[[Path, int], Awaitable[None]],
    nginx_port: int,
    tls_dir: Path,
    tmp_path: Path,
) -> Front:
    data = tmp_path / "data"
    (data / "hls").mkdir(parents=True)
    front = Front(url=f"http://127.0.0.1:{nginx_port}", port=nginx_port, hls=data / "hls")
    replicas = [await aiohttp_server(replica(name, front.seen_by_app)) for name in ("a", "b")]
    servers = "\n".join(f"        server 127.0.0.1:{server.port};" for server in replicas)
    config = render_nginx(
        "front.conf",
        {
            # The HTTPS server's locations, over plain HTTP here; TLS itself: test_deploy_front_tls.py.
            "listen 443 ssl;": f"listen 127.0.0.1:{nginx_port};",
            "listen 80 default_server;": f"listen 127.0.0.1:{free_port()} default_server;",
            "/etc/nginx/tls/": f"{tls_dir}/",
            "        server hopso:8080;": servers,
            "/data/": f"{data}/",
        },
    )
    await start_nginx(config, nginx_port)
    return front


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_websocket_upgrade_passes_through_to_the_app(front: Front, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect(f"{front.url}/socket.io/?EIO=4&transport=websocket") as ws:
        await ws.send_str("ping")
        reply = await ws.receive_str(timeout=2)

    assert reply in ("a:ping", "b:ping")


async def test_polling_requests_from_one_client_stay_on_one_replica(front: Front, http: aiohttp.ClientSession) -> None:
    replicas = set()
    for _ in range(8):
        async with http.get(f"{front.url}/socket.io/?EIO=4&transport=polling") as response:
            replicas.add(await response.text())

    assert len(replicas) == 1


async def test_hls_playlist_comes_from_the_data_volume_and_is_never_cached(
    front: Front, http: aiohttp.ClientSession
) -> None:
    (front.hls / "42").mkdir()
    (front.hls / "42" / "index.m3u8").write_text("#EXTM3U\n#EXT-X-TARGETDURATION:2\n")

    async with http.get(f"{front.url}/live/42/index.m3u8") as response:
        body = await response.text()

    assert response.status == 200
    assert body.startswith("#EXTM3U")
    assert response.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response.headers["Cache-Control"] == "no-cache"
    assert not any(path.startswith("/live/") for path in front.seen_by_app)


@pytest.mark.parametrize(
    ("segment", "content_type"),
    [("seg_00007.ts", "video/mp2t"), ("seg_00007.m4s", "video/iso.segment"), ("init.mp4", "video/mp4")],
)
async def test_hls_segments_come_from_the_data_volume_and_are_cacheable(
    front: Front, http: aiohttp.ClientSession, segment: str, content_type: str
) -> None:
    (front.hls / "7f3a-b2").mkdir()
    (front.hls / "7f3a-b2" / segment).write_bytes(b"\x47" * 188)

    async with http.get(f"{front.url}/live/7f3a-b2/{segment}") as response:
        body = await response.read()

    assert response.status == 200
    assert body == b"\x47" * 188
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == "max-age=3600"
    assert front.seen_by_app == []


async def test_missing_hls_file_is_404_without_asking_the_app(front: Front, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{front.url}/live/42/index.m3u8") as response:
        assert response.status == 404

    assert front.seen_by_app == []


async def test_security_headers_are_on_proxied_static_and_error_responses(
    front: Front, http: aiohttp.ClientSession
) -> None:
    (front.hls / "1").mkdir()
    (front.hls / "1" / "index.m3u8").write_text("#EXTM3U\n")

    for path in ("/api/headers", "/live/1/index.m3u8", "/live/1/missing.ts", "/internal/rtmp/publish"):
        async with http.get(f"{front.url}{path}") as response:
            headers = response.headers
        csp = headers.get("Content-Security-Policy", "")

        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "same-origin", path
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], path
        assert "media-src 'self' blob:;" in csp, path
        assert "worker-src 'self' blob:;" in csp, path


async def test_proxy_tells_the_app_the_client_address_host_and_scheme(
    front: Front, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{front.url}/api/headers", headers={"Host": "hop.example.gov.vn"}) as response:
        seen = (await response.json())["headers"]

    assert seen["Host"] == "hop.example.gov.vn"
    assert seen["X-Forwarded-For"] == "127.0.0.1"
    assert seen["X-Real-IP"] == "127.0.0.1"
    assert seen["X-Forwarded-Proto"] == "http"


async def test_json_is_gzipped(front: Front, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{front.url}/api/headers", headers={"Accept-Encoding": "gzip"}) as response:
        assert (await response.json())["replica"] in ("a", "b")

    assert response.headers["Content-Encoding"] == "gzip"


async def test_upload_within_the_limit_reaches_the_app(front: Front, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{front.url}/api/upload", data=b"%PDF-" + b"0" * 2_000_000) as response:
        assert (await response.json())["size"] == 2_000_005


async def test_upload_over_the_app_limit_is_refused_before_its_body_is_sent(front: Front, repo: Path) -> None:
    limit = tomllib.loads((repo / "config" / "default.toml").read_text())["max_upload_mb"] * 1024 * 1024
    reader, writer = await asyncio.open_connection("127.0.0.1", front.port)
    writer.write(
        f"POST /api/upload HTTP/1.1\r\nHost: hopso\r\nContent-Length: {limit + 1}\r\n"
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), timeout=2)
    writer.close()
    await writer.wait_closed()

    assert status_line.split()[1] == b"413"
    assert front.seen_by_app == []


def test_body_limit_equals_the_apps_max_upload_mb(repo: Path) -> None:
    front_conf = (repo / "config" / "nginx" / "front.conf").read_text()
    max_upload_mb = tomllib.loads((repo / "config" / "default.toml").read_text())["max_upload_mb"]

    assert re.findall(r"client_max_body_size\s+(\S+);", front_conf) == [f"{max_upload_mb}m"]


async def test_rtmp_hooks_are_refused_from_outside(front: Front, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{front.url}/internal/rtmp/publish_done", data={"name": "stream-key"}) as response:
        assert response.status == 403
    async with http.post(f"{front.url}//internal/rtmp/publish_done", data={"name": "stream-key"}) as response:
        assert response.status == 403

    assert front.seen_by_app == []


async def test_metrics_answer_clients_on_internal_networks(front: Front, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{front.url}/metrics") as response:
        assert response.status == 200
        assert await response.text() == "hopso_up 1\n"
