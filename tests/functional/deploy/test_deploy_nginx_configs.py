"""`nginx -t` accepts each config in config/nginx, with container names replaced by local ones."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path


def nginx_test(nginx_bin: str, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [nginx_bin, "-t", "-p", f"{config.parent}/", "-e", "stderr", "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )


def test_front_config_passes_nginx_t(
    nginx_bin: str, render_nginx: Callable[[str, dict[str, str]], Path], tls_dir: Path, tmp_path: Path
) -> None:
    config = render_nginx(
        "front.conf",
        {"server hopso:8080;": "server 127.0.0.1:9;", "/data/": f"{tmp_path}/data/", "/etc/nginx/tls/": f"{tls_dir}/"},
    )

    result = nginx_test(nginx_bin, config)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_rtmp_config_passes_nginx_t_with_the_rtmp_module(
    nginx_bin: str, rtmp_module: Path, render_nginx: Callable[[str, dict[str, str]], Path]
) -> None:
    config = render_nginx("rtmp.conf", {"http://media:8080/": "http://127.0.0.1:9/"})

    result = nginx_test(nginx_bin, config)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_rtmp_config_loads_the_module_where_debian_installs_it(rtmp_module: Path, repo: Path) -> None:
    config = (repo / "config" / "nginx" / "rtmp.conf").read_text()

    assert re.findall(r"^load_module\s+(\S+);", config, re.MULTILINE) == [str(rtmp_module)]
