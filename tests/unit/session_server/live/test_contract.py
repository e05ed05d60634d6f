"""Command handlers see the contract only (context, registry, typed events), never the engine, and the live
package has no import cycle."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import session_server.live

LIVE = Path(session_server.live.__file__).parent
ENGINE = ("session_server.live.dispatcher", "session_server.live.chain", "session_server.realtime")


def test_importing_the_commands_imports_no_engine_module() -> None:
    code = "import json, sys; import session_server.live.commands; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout)

    assert "session_server.live.commands.votes" in loaded
    assert [name for name in loaded if name.startswith(ENGINE)] == []


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("session_server.live"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_live_package_has_no_import_cycle() -> None:
    modules = {
        "session_server."
        + ".".join(path.relative_to(LIVE.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in LIVE.rglob("*.py")
    }
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}

    def cycle_from(name: str, trail: tuple[str, ...]) -> tuple[str, ...] | None:
        if name in trail:
            return (*trail, name)
        for imported in graph[name]:
            found = cycle_from(imported, (*trail, name))
            if found:
                return found
        return None

    cycles = [found for name in graph if (found := cycle_from(name, ()))]
    assert cycles == []
