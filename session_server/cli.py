"""The `hopso` command: serve, media-worker, migrate, create-user, account, import-members, verify, demo."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web
from pydantic import ValidationError

from session_server.settings import Settings, SettingsError, ensure_secret_key, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


async def managed_heap(app: web.Application) -> AsyncIterator[None]:
    """The served app's heap: see session_server/heap.py."""
    from session_server import heap
    from session_server.services import SERVICES_KEY

    async with heap.managed(app[SERVICES_KEY].dispatcher.quiet_for):
        yield


def serve(settings: Settings, banner: str = "") -> None:
    from session_server.app import create_app

    app = create_app(settings)
    app.cleanup_ctx.append(managed_heap)
    if banner:

        async def show_banner(_app: web.Application) -> None:
            print(banner, flush=True)

        app.on_startup.append(show_banner)
    web.run_app(
        app, host=settings.host, port=settings.port, print=None, keepalive_timeout=settings.header_timeout_seconds
    )


def cmd_serve(args: argparse.Namespace) -> None:
    settings = _settings(args)
    _configure_logging(settings)
    serve(settings, f"HopSo: {settings.effective_public_url}/")


def cmd_media_worker(args: argparse.Namespace) -> None:
    from media import RtmpIngestSettings
    from media.remote import MediaWorker, RemoteSettings
    from session_server.streams.remote import media_token
    from session_server.streams.service import hook_token

    settings = ensure_secret_key(_settings(args))
    _configure_logging(settings)
    if not settings.media_hopso_url:
        raise SettingsError("media_hopso_url (HOPSO_MEDIA_HOPSO_URL) must say where the media worker reaches HopSo")
    if settings.rtmp_mode == "off":
        raise SettingsError('rtmp_mode (HOPSO_RTMP_MODE) is "off": the media worker has nothing to do')
    loopback = "127.0.0.1" if settings.host in ("", "0.0.0.0", "::", "localhost") else settings.host
    rtmp = RtmpIngestSettings.for_data_dir(
        settings.data_dir,
        hopso_url=f"http://{loopback}:{settings.port}",
        port=settings.rtmp_port,
        hook_token=hook_token(settings),
    )
    # Without nginx-rtmp this process is useless: fail at start instead of running with RTMP off.
    rtmp.required = True
    rtmp.embedded = settings.rtmp_mode == "embedded"
    rtmp.nginx.listen_host = settings.effective_rtmp_host if rtmp.embedded else settings.rtmp_pull_host
    worker = MediaWorker(rtmp, RemoteSettings(settings.media_hopso_url.split(","), media_token(settings)))
    print(
        f"HopSo media worker: RTMP on port {settings.rtmp_port}, hooks on {settings.host}:{settings.port}", flush=True
    )
    web.run_app(worker.app(), host=settings.host, port=settings.port, print=None)


def cmd_migrate(args: argparse.Namespace) -> None:
    from session_server.db.migrate import upgrade

    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings = ensure_secret_key(settings)
    upgrade(settings.effective_database_url, secret_key=settings.secret_key)
    print("Cơ sở dữ liệu đã cập nhật / database is up to date.")


def cmd_create_user(args: argparse.Namespace) -> None:
    from session_server.auth.schemas import UserIn
    from session_server.cli_tasks import create_user_task

    settings = _settings(args)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Mật khẩu / password: ")
    try:
        data = UserIn(
            username=args.username,
            display_name=args.display_name or args.username,
            password=password,
            role=args.role,
            council_id=args.council_id,
        )
    except ValidationError as exc:
        raise SystemExit(f"hopso create-user: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}") from exc
    user_id = asyncio.run(create_user_task(settings, data, args.member_code))
    print(f"Đã tạo tài khoản {args.username} (id {user_id}).")


def cmd_account(args: argparse.Namespace) -> None:
    from session_server.auth.passwords import MIN_LENGTH
    from session_server.cli_tasks import account_task

    settings = _settings(args)
    argument = args.device
    if args.action == "password":
        argument = (
            sys.stdin.readline().rstrip("\n")
            if args.password_stdin
            else getpass.getpass("Mật khẩu mới / new password: ")
        )
        if len(argument) < MIN_LENGTH:
            raise SystemExit(
                f"hopso account: mật khẩu cần ít nhất {MIN_LENGTH} ký tự / at least {MIN_LENGTH} characters"
            )
    if args.action == "revoke" and not argument:
        raise SystemExit("hopso account revoke: nêu mã thiết bị hoặc all / name a device id or all")
    remaining = asyncio.run(account_task(settings, args.username, args.action, argument))
    done = {
        "deactivate": "Đã khóa tài khoản và đăng xuất mọi thiết bị / deactivated, signed out everywhere",
        "reactivate": "Đã mở lại tài khoản / reactivated",
        "password": "Đã đặt mật khẩu mới và đăng xuất mọi thiết bị / password set, signed out everywhere",
        "revoke": "Đã đăng xuất thiết bị / signed out",
    }
    if args.action in done:
        print(f"{args.username}: {done[args.action]}.")
    for credential in remaining:
        kind = "thiết bị / device" if credential.kind == "device" else "trình duyệt / browser"
        until = credential.expires_at.strftime("%d/%m/%Y %H:%M")
        print(f"  {credential.id}\t{kind}\t{credential.label or '-'}\t→ {until} UTC")


def cmd_import_members(args: argparse.Namespace) -> None:
    from session_server.cli_tasks import import_members_task

    settings = _settings(args)
    result = asyncio.run(import_members_task(settings, args.council_id, Path(args.file).read_bytes()))
    print(f"Đã nhập: {result.created} đại biểu mới, {result.updated} cập nhật.")


def cmd_demo(args: argparse.Namespace) -> None:
    from session_server.db.migrate import upgrade
    from session_server.demo.loader import demo_banner, load_demo

    settings = _settings(args)
    _configure_logging(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings = ensure_secret_key(settings)
    upgrade(settings.effective_database_url, secret_key=settings.secret_key)
    summary = asyncio.run(load_demo(settings))
    banner = demo_banner(settings, summary)
    if args.no_serve:
        print(banner)
        return
    serve(settings, banner)


def cmd_verify(args: argparse.Namespace) -> None:
    from session_server.cli_tasks import verify_task

    if args.file is not None:
        verify_file(args.file, args.head)
        return
    if args.session_id is None:
        raise SystemExit("hopso verify: cho biết SESSION_ID hoặc --file / give a SESSION_ID or --file")
    report = asyncio.run(verify_task(_settings(args), args.session_id))
    print(f"Kỳ họp {report.session_id}: {report.events} sự kiện, {report.motions} nội dung biểu quyết đã kiểm tra.")
    if report.ok:
        print("Chuỗi kiểm toán và kết quả biểu quyết khớp / audit chain and tallies verified.")
        return
    for problem in report.problems:
        print(f"  LỖI / BROKEN: {problem}")
    raise SystemExit(1)


def verify_file(path: Path, head: str | None) -> None:
    """Check a downloaded public record without any database: its chain, its tallies, and its head against the
    one anchored in the signed minutes."""
    import voting

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(f"hopso verify: không đọc được tệp / cannot read the file: {exc}") from exc
    check = voting.check_record(lines, head.strip().lower() if head else None)
    print(
        f"Bản ghi / record: {check.events} sự kiện / events, {check.votes} kết quả biểu quyết / vote results; "
        f"mã cuối chuỗi / chain head: sự kiện số / seq {check.head_seq}, {check.head_hash}"
    )
    if check.ok:
        anchored = " và khớp mã trong biên bản / and matches the anchored head" if head else ""
        print(f"Chuỗi và kết quả biểu quyết toàn vẹn{anchored} / chain and tallies verified.")
        return
    for problem in check.problems:
        print(f"  LỖI / BROKEN: {problem}")
    raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hopso", description="HopSo — họp số cho Hội đồng nhân dân.")
    parser.add_argument("--config", type=Path, help="a TOML file over config/default.toml")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("serve", help="start the server").set_defaults(run=cmd_serve)
    commands.add_parser(
        "media-worker", help="run RTMP ingest, live HLS and recordings as a process of its own (media_mode external)"
    ).set_defaults(run=cmd_media_worker)
    commands.add_parser("migrate", help="create or update the database schema").set_defaults(run=cmd_migrate)

    create = commands.add_parser("create-user", help="create an account (password read from the terminal)")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=["admin", "secretary", "delegate"])
    create.add_argument("--display-name", default="")
    create.add_argument("--council-id", type=int)
    create.add_argument("--member-code", help="the member (đại biểu) this delegate account belongs to")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(run=cmd_create_user)

    account = commands.add_parser(
        "account", help="deactivate or reactivate an account, reset its password, list or sign out its devices"
    )
    account.add_argument("action", choices=["deactivate", "reactivate", "password", "devices", "revoke"])
    account.add_argument("username")
    account.add_argument("device", nargs="?", help="revoke: the device id shown by `devices`, or all")
    account.add_argument("--password-stdin", action="store_true", help="password: read it from standard input")
    account.set_defaults(run=cmd_account)

    members = commands.add_parser("import-members", help="import a council's members from a UTF-8 CSV file")
    members.add_argument("council_id", type=int)
    members.add_argument("file")
    members.set_defaults(run=cmd_import_members)

    verify = commands.add_parser(
        "verify", help="check a session's audit chain and vote tallies, in the database or in a downloaded record"
    )
    verify.add_argument("session_id", type=int, nargs="?")
    verify.add_argument("--file", type=Path, help="a public record (.jsonl) downloaded from the archive")
    verify.add_argument("--head", help="the chain's head hash printed in the signed minutes, to compare with")
    verify.set_defaults(run=cmd_verify)

    demo = commands.add_parser("demo", help="load the demo council and start the server")
    demo.add_argument("--no-serve", action="store_true", help="load and print the logins, then stop")
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> None:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from session_server.errors import ApiError

    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except SettingsError as exc:
        raise SystemExit(f"hopso: {exc}") from exc
    except (OperationalError, ProgrammingError) as exc:
        raise SystemExit(
            f"hopso: cơ sở dữ liệu chưa sẵn sàng / the database is not ready: {exc.orig}\n  Chạy / run: hopso migrate"
        ) from exc
    except ApiError as exc:
        details = "".join(f"\n  dòng {d['line']}: {d['problem_vi']}" for d in exc.details or [] if "line" in d)
        raise SystemExit(f"hopso: {exc.vi}{details}") from exc
