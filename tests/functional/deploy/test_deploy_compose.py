"""docker-compose.yml describes a deployment that fits the app, its Dockerfiles and the nginx configs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

HOPSO_DOCKERFILE = "config/docker/Dockerfile"
REQUIRED = re.compile(r"^\$\{(?P<name>[A-Z0-9_]+):\?[^}]+\}$")


@pytest.fixture
def services(repo: Path) -> dict[str, dict[str, Any]]:
    return yaml.safe_load((repo / "docker-compose.yml").read_text())["services"]


@pytest.fixture
def app_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The services that run the HopSo image."""
    return {
        name: service
        for name, service in services.items()
        if service.get("build", {}).get("dockerfile") == HOPSO_DOCKERFILE
    }


def named_volume_mounts(service: dict[str, Any]) -> dict[str, str]:
    """Mount target -> volume name (with ":ro" kept) for the named volumes of a service."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        if not source.startswith((".", "/")):
            mounts[target] = ":".join([source, *mode])
    return mounts


def test_the_app_image_runs_migrate_then_serve(app_services: dict[str, dict[str, Any]]) -> None:
    commands = {name: service["command"] for name, service in app_services.items()}

    assert commands == {
        "migrate": ["hopso", "migrate"],
        "hopso": ["hopso", "serve"],
        "media": ["hopso", "media-worker"],
    }


def test_every_command_the_app_services_run_is_a_hopso_command(app_services: dict[str, dict[str, Any]]) -> None:
    from session_server.cli import build_parser

    for name, service in app_services.items():
        program, *arguments = service["command"]
        assert program == "hopso", name
        try:
            build_parser().parse_args(arguments)
        except SystemExit:
            pytest.fail(f"{name} runs {service['command']}, which the hopso CLI does not know")


def test_hopso_runs_two_replicas_after_migrations_succeed(services: dict[str, dict[str, Any]]) -> None:
    hopso = services["hopso"]

    assert hopso["deploy"]["replicas"] == 2
    assert hopso["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["restart"] == "no"


def test_every_app_service_gets_the_secret_key_from_the_operator(
    app_services: dict[str, dict[str, Any]],
) -> None:
    for name, service in app_services.items():
        match = REQUIRED.match(service["environment"].get("HOPSO_SECRET_KEY", ""))
        assert match is not None and match["name"] == "HOPSO_SECRET_KEY", name


def test_secrets_reach_only_the_services_that_use_them(
    services: dict[str, dict[str, Any]], app_services: dict[str, dict[str, Any]]
) -> None:
    with_secret_key = {
        name for name, service in services.items() if "HOPSO_SECRET_KEY" in service.get("environment", {})
    }

    assert with_secret_key == set(app_services)


def test_every_secret_in_the_file_must_be_given_by_the_operator(repo: Path) -> None:
    text = (repo / "docker-compose.yml").read_text()
    references = re.findall(r"\$\{(?:HOPSO_SECRET_KEY|POSTGRES_PASSWORD)[^}]*\}", text)

    assert references
    assert all(REQUIRED.match(reference) for reference in references), references


def test_app_variables_are_settings_hopso_knows(app_services: dict[str, dict[str, Any]], repo: Path) -> None:
    known = {f"HOPSO_{key.upper()}" for key in tomllib.loads((repo / "config" / "default.toml").read_text())}

    for name, service in app_services.items():
        assert set(service["environment"]) <= known, name


def test_app_services_use_postgres_redis_and_the_external_rtmp_server(app_services: dict[str, dict[str, Any]]) -> None:
    for name, service in app_services.items():
        environment = service["environment"]
        assert environment["HOPSO_DATABASE_URL"].startswith("postgresql+asyncpg://hopso:"), name
        assert environment["HOPSO_DATABASE_URL"].endswith("@postgres:5432/hopso"), name
        assert environment["HOPSO_REDIS_URL"] == "redis://redis:6379/0", name
        assert environment["HOPSO_RTMP_MODE"] == "external", name
        assert environment["HOPSO_MEDIA_MODE"] == "external", name
        assert environment["HOPSO_HOST"] == "0.0.0.0", name


def test_postgres_and_redis_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    assert services["postgres"]["image"] == "postgres:16"
    assert services["postgres"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert services["redis"]["image"] == "redis:7"
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_every_service_waited_on_until_healthy_has_a_healthcheck(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits for {dependency} to be healthy"


def test_every_file_the_services_mount_or_build_from_exists(services: dict[str, dict[str, Any]], repo: Path) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (repo / source).is_file(), f"{name} mounts missing {source}"
        if "build" in service:
            context = repo / service["build"]["context"]
            assert (context / service["build"]["dockerfile"]).is_file(), name


def test_every_file_the_dockerfiles_copy_from_the_repo_exists(repo: Path) -> None:
    sources = []
    for dockerfile in (repo / "config" / "docker").glob("Dockerfile*"):
        for line in dockerfile.read_text().splitlines():
            words = line.split()
            if words[:1] == ["COPY"] and not words[1].startswith("--from="):
                sources += words[1:-1]

    assert "requirements.lock" in sources
    assert [source for source in sources if not (repo / source).exists()] == []


def test_both_nginx_run_the_repo_configs_from_the_debian_image(services: dict[str, dict[str, Any]]) -> None:
    for name, config in (("nginx", "front.conf"), ("rtmp", "rtmp.conf")):
        assert services[name]["build"]["dockerfile"] == "Dockerfile.nginx", name
        assert f"./config/nginx/{config}:/etc/nginx/nginx.conf:ro" in services[name]["volumes"], name


def test_nginx_reaches_hopso_and_rtmp_hooks_reach_the_media_worker_on_their_port(
    services: dict[str, dict[str, Any]], repo: Path
) -> None:
    port = services["hopso"]["environment"]["HOPSO_PORT"]
    front = (repo / "config" / "nginx" / "front.conf").read_text()
    rtmp = (repo / "config" / "nginx" / "rtmp.conf").read_text()

    assert re.findall(r"^\s*server\s+(\S+);", front, re.MULTILINE) == [f"hopso:{port}"]
    hooks = re.findall(r"^\s*on_publish(?:_done)?\s+(\S+);", rtmp, re.MULTILINE)
    assert hooks == [
        f"http://media:{port}/internal/rtmp/publish",
        f"http://media:{port}/internal/rtmp/publish_done",
    ]
    for name in ("hopso", "media"):
        assert f"http://127.0.0.1:{port}/healthz" in " ".join(services[name]["healthcheck"]["test"]), name


def test_the_replicas_and_the_media_worker_reach_each_other(services: dict[str, dict[str, Any]]) -> None:
    environment = services["media"]["environment"]
    port = environment["HOPSO_PORT"]

    assert environment["HOPSO_MEDIA_WORKER_URL"] == f"http://media:{port}"
    assert environment["HOPSO_MEDIA_HOPSO_URL"] == f"http://hopso:{port}"
    assert named_volume_mounts(services["media"])["/data"] == named_volume_mounts(services["hopso"])["/data"]


def test_front_nginx_reads_hls_from_the_volume_the_app_writes(services: dict[str, dict[str, Any]], repo: Path) -> None:
    data_dir = services["hopso"]["environment"]["HOPSO_DATA_DIR"]
    worker_volume = named_volume_mounts(services["hopso"])[data_dir]
    front = (repo / "config" / "nginx" / "front.conf").read_text()
    aliases = set(re.findall(r"^\s*alias\s+(\S+)/\$1/\$2;", front, re.MULTILINE))

    assert aliases == {f"{data_dir}/hls"}
    assert named_volume_mounts(services["nginx"])[data_dir] == f"{worker_volume}:ro"


def test_rtmp_and_http_are_published_on_the_ports_the_configs_listen_on(
    services: dict[str, dict[str, Any]], repo: Path
) -> None:
    front = (repo / "config" / "nginx" / "front.conf").read_text()
    rtmp = (repo / "config" / "nginx" / "rtmp.conf").read_text()

    assert re.findall(r"^\s*listen\s+(\d+)\b", front, re.MULTILINE) == ["80", "443"]
    assert re.findall(r"^\s*listen\s+(\d+);", rtmp, re.MULTILINE) == ["1935"]
    assert [port.rsplit(":", 1)[1] for port in services["nginx"]["ports"]] == ["80", "443"]
    assert services["rtmp"]["ports"] == ["${HOPSO_RTMP_PORT:-1935}:1935"]
    assert services["hopso"]["environment"]["HOPSO_RTMP_PORT"] == "${HOPSO_RTMP_PORT:-1935}"
    assert all("ports" not in service for name, service in services.items() if name not in ("nginx", "rtmp"))


def test_both_nginx_restart_when_the_services_they_call_are_recreated(services: dict[str, dict[str, Any]]) -> None:
    assert services["nginx"]["depends_on"]["hopso"] == {"condition": "service_healthy", "restart": True}
    assert services["rtmp"]["depends_on"]["media"] == {"condition": "service_healthy", "restart": True}
