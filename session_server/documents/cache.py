"""Rendered pages on disk: `data_dir/page-cache/<document>/<version>/<width>/<page>.<format>`."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from session_server.documents.pdf import ImageFormat


@dataclass(frozen=True)
class PageKey:
    document_id: int
    version: int
    page: int
    width: int
    fmt: ImageFormat


class PageCache:
    """Only pages without a watermark are kept: a watermarked page belongs to one viewer at one time."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: PageKey) -> Path:
        return self.root / str(key.document_id) / str(key.version) / str(key.width) / f"{key.page}.{key.fmt}"

    async def read(self, key: PageKey) -> bytes | None:
        return await asyncio.to_thread(self._read, self.path(key))

    async def write(self, key: PageKey, image: bytes) -> None:
        await asyncio.to_thread(self._write, self.path(key), image)

    async def drop(self, document_id: int) -> None:
        await asyncio.to_thread(shutil.rmtree, self.root / str(document_id), True)

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    @staticmethod
    def _write(path: Path, image: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        partial.write_bytes(image)
        os.replace(partial, path)
