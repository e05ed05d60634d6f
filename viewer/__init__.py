"""The browser apps (delegate tablet, chair console, public page, staff console), served by session_server."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent
STATIC_DIR = ROOT / "static"
NODE_MODULES = ROOT / "node_modules"

__all__ = ["NODE_MODULES", "ROOT", "STATIC_DIR"]
