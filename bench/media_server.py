"""HopSo's media stack alone, for ``bench.media``: RTMP ingest (embedded nginx-rtmp) and WHIP into HLS + recording.

No database and no Socket.IO, so the process's CPU is the ingest's; one session ``bench``, stream key ``bench``.
The stream key ``direct`` is let in by nginx without HopSo pulling it: the same nginx then serves the benchmark's
``ffmpeg -c copy`` baseline alone.
Usage: ``python -m bench.media_server PORT RTMP_PORT DATA_DIR``.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from media import HOOK_PUBLISH_DONE_PATH, HOOK_PUBLISH_PATH, NullMediaEvents, RtmpIngest, RtmpIngestSettings
from media.ingest.whip import WhipIngest, WhipRefused

SESSION = KEY = "bench"
DIRECT_KEY = "direct"


class BenchKey:
    async def check(self, stream_key: str) -> str | None:
        return SESSION if stream_key == KEY else None


def build(port: int, rtmp_port: int, data_dir: Path) -> web.Application:
    settings = RtmpIngestSettings.for_data_dir(data_dir, hopso_url=f"http://127.0.0.1:{port}", port=rtmp_port)
    settings.required = True
    rtmp = RtmpIngest(settings, BenchKey(), NullMediaEvents())
    whip = WhipIngest(rtmp.sessions)

    async def on_publish(request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        if form.get("name") == DIRECT_KEY:
            return web.Response()
        ok = await rtmp.on_publish(form)
        return web.Response(status=200 if ok else 403)

    async def on_publish_done(request: web.Request) -> web.Response:
        await rtmp.on_publish_done({k: str(v) for k, v in (await request.post()).items()})
        return web.Response()

    async def whip_post(request: web.Request) -> web.Response:
        try:
            answer = await whip.publish(SESSION, await request.text(), request.remote or "")
        except WhipRefused as refused:
            return web.Response(status=409 if refused.busy else 400, text=str(refused))
        return web.Response(
            status=201, text=answer.sdp, content_type="application/sdp", headers={"Location": answer.resource_id}
        )

    async def whip_delete(request: web.Request) -> web.Response:
        return web.Response(status=200 if await whip.stop(SESSION, request.match_info["resource"]) else 404)

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        await rtmp.start()
        await rtmp.arm(SESSION)
        yield
        await whip.close()
        await rtmp.close()

    app = web.Application()
    app.router.add_post(HOOK_PUBLISH_PATH, on_publish)
    app.router.add_post(HOOK_PUBLISH_DONE_PATH, on_publish_done)
    app.router.add_post("/whip", whip_post)
    app.router.add_delete("/whip/{resource}", whip_delete)
    app.router.add_get("/ready", lambda request: web.Response(text="ok"))
    app.cleanup_ctx.append(lifetime)
    return app


if __name__ == "__main__":
    port, rtmp_port, data_dir = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    web.run_app(build(port, rtmp_port, data_dir), host="127.0.0.1", port=port, print=None, access_log=None)
