"""Answers that send an archive file: the video (ranges, so players seek), chapters, poster, minutes PDF."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from aiohttp import web

from session_server.errors import ApiError, not_found

TYPES = {".mp4": "video/mp4", ".vtt": "text/vtt; charset=utf-8", ".jpg": "image/jpeg", ".pdf": "application/pdf"}


def no_file() -> ApiError:
    return not_found("Chưa có tệp này trong lưu trữ.", "This file is not in the archive yet.")


async def file_response(path: Path, cache_control: str, download_name: str | None = None) -> web.FileResponse:
    if not await asyncio.to_thread(path.is_file):
        raise no_file()
    headers = {"Content-Type": TYPES[path.suffix], "Cache-Control": cache_control}
    if download_name:
        headers["Content-Disposition"] = f'inline; filename="{download_name}"'
    return web.FileResponse(path, headers=headers)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
