"""Where document files live: `data_dir/documents/<id>/<version>.pdf`, named by ids, never by the uploader's name."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def version_path(data_dir: Path, document_id: int, version: int) -> Path:
    return data_dir / "documents" / str(document_id) / f"{version}.pdf"


def incoming_path(data_dir: Path) -> Path:
    """A fresh name for an upload still being received and checked."""
    folder = data_dir / "documents" / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{secrets.token_hex(16)}.part"


def place(received: Path, final: Path) -> None:
    """Move a checked upload to its final name (a rename: the file appears whole or not at all)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received, final)


def remove(final: Path) -> None:
    """Undo `place` after the database refused the row that names the file."""
    final.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        final.parent.rmdir()
