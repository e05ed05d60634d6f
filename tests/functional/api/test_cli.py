"""The `hopso` command as a province IT person runs it: migrate, create accounts, import members, bad settings."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from session_server.auth import tokens
from session_server.auth.passwords import verify_password
from session_server.cli import main
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import Council, User
from tests.support import require_executable


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HOPSO_* settings from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("HOPSO_"):
            monkeypatch.delenv(name)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_environment: None) -> Path:
    monkeypatch.setenv("HOPSO_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _query(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(data_dir / "hopso.sqlite3")) as database:
        return database.execute(sql).fetchall()


def _add_council(data_dir: Path) -> int:
    async def add() -> int:
        engine = make_engine(f"sqlite+aiosqlite:///{data_dir / 'hopso.sqlite3'}")
        async with make_sessionmaker(engine)() as db:
            council = Council(name="Hội đồng nhân dân xã Dòng Lệnh", total_delegates=15)
            db.add(council)
            await db.commit()
        await engine.dispose()
        return council.id

    return asyncio.run(add())


def test_migrate_creates_the_database_in_the_data_folder(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["migrate"])

    assert "database is up to date" in capsys.readouterr().out
    tables = {row[0] for row in _query(data_dir, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"councils", "members", "users", "auth_tokens", "alembic_version"} <= tables


def test_create_user_reads_the_password_from_standard_input(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["migrate"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-quan-tri\n"))

    main(["create-user", "quantri", "--role", "admin", "--display-name", "Quản trị tỉnh", "--password-stdin"])

    assert "Đã tạo tài khoản quantri" in capsys.readouterr().out
    [(display_name, role, password_hash)] = _query(data_dir, "SELECT display_name, role, password_hash FROM users")
    assert (display_name, role) == ("Quản trị tỉnh", "admin")
    assert verify_password(str(password_hash), "mat-khau-quan-tri")


def test_create_user_refuses_a_short_password_naming_it(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main(["migrate"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("ngan\n"))

    with pytest.raises(SystemExit, match="password"):
        main(["create-user", "quantri", "--role", "admin", "--password-stdin"])

    assert _query(data_dir, "SELECT count(*) FROM users") == [(0,)]


def test_import_members_reads_a_good_file_and_names_the_line_of_a_bad_one(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["migrate"])
    council_id = _add_council(data_dir)
    good = tmp_path / "dai-bieu.csv"
    good.write_text("mã,họ và tên,chức vụ\nDB01,Trần Thị Bình,Chủ tịch HĐND\nDB02,Lê Văn Hai,\n", encoding="utf-8")
    bad = tmp_path / "dai-bieu-loi.csv"
    bad.write_text("mã,họ và tên\nDB03,Phạm Văn Ba\nDB04,X\n", encoding="utf-8")

    main(["import-members", str(council_id), str(good)])
    with pytest.raises(SystemExit) as refused:
        main(["import-members", str(council_id), str(bad)])

    assert "Đã nhập: 2 đại biểu mới, 0 cập nhật." in capsys.readouterr().out
    assert "dòng 3: giá trị không hợp lệ ở cột full_name" in str(refused.value)
    names = _query(data_dir, "SELECT full_name FROM members ORDER BY code")
    assert names == [("Trần Thị Bình",), ("Lê Văn Hai",)]


def test_a_command_before_migrate_says_to_migrate(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir.mkdir()
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-quan-tri\n"))

    with pytest.raises(SystemExit) as refused:
        main(["create-user", "quantri", "--role", "admin", "--password-stdin"])

    assert "the database is not ready: no such table: users" in str(refused.value)
    assert str(refused.value).endswith("hopso migrate")


def test_a_bad_setting_stops_the_command_naming_it(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOPSO_PORT", "abc")

    with pytest.raises(SystemExit) as refused:
        main(["migrate"])

    assert str(refused.value).startswith("hopso: bad setting: port (HOPSO_PORT)")
    assert not (data_dir / "hopso.sqlite3").exists()


def test_the_installed_command_creates_an_account_from_a_config_file_and_a_piped_password(
    clean_environment: None, tmp_path: Path
) -> None:
    hopso = require_executable(str(Path(sys.executable).parent / "hopso"), "pip install -e .")
    config = tmp_path / "hopso.toml"
    config.write_text(f'data_dir = "{tmp_path / "du-lieu"}"\n', encoding="utf-8")
    main(["--config", str(config), "migrate"])

    created = subprocess.run(
        [hopso, "--config", str(config), "create-user", "quantri", "--role", "admin", "--password-stdin"],
        input="mat-khau-quan-tri\n",
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert created.returncode == 0, created.stderr
    assert "Đã tạo tài khoản quantri" in created.stdout
    assert _query(tmp_path / "du-lieu", "SELECT username FROM users") == [("quantri",)]


def _issue_devices(data_dir: Path, username: str, labels: list[str]) -> None:
    async def issue() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{data_dir / 'hopso.sqlite3'}")
        async with make_sessionmaker(engine)() as db:
            user = await db.scalar(select(User).where(User.username == username))
            assert user is not None
            for label in labels:
                await tokens.issue(db, user, tokens.DEVICE, timedelta(days=30), label)
            await db.commit()
        await engine.dispose()

    asyncio.run(issue())


def test_account_lists_and_signs_out_devices_resets_the_password_and_deactivates(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["migrate"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-quan-tri\n"))
    main(["create-user", "quantri", "--role", "admin", "--password-stdin"])
    _issue_devices(data_dir, "quantri", ["Máy tính bảng bị mất", "Máy ở nhà"])
    capsys.readouterr()

    main(["account", "devices", "quantri"])
    listed = capsys.readouterr().out
    lost = next(line.split()[0] for line in listed.splitlines() if "bị mất" in line)
    main(["account", "revoke", "quantri", lost])
    after_revoke = capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-moi-2026\n"))
    main(["account", "password", "quantri", "--password-stdin"])
    after_reset = capsys.readouterr().out
    main(["account", "deactivate", "quantri"])

    assert "Máy tính bảng bị mất" in listed and "Máy ở nhà" in listed
    assert "bị mất" not in after_revoke and "Máy ở nhà" in after_revoke
    assert "signed out everywhere" in after_reset and "Máy ở nhà" not in after_reset
    [(password_hash, active)] = _query(data_dir, "SELECT password_hash, active FROM users")
    assert verify_password(str(password_hash), "mat-khau-moi-2026")
    assert active == 0
    assert "deactivated" in capsys.readouterr().out
