"""`hopso demo`: the project's own demo council, session and PDFs; a second run reuses what the first made."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from session_server.auth import users
from session_server.auth.passwords import hash_password, verify_password
from session_server.cli import main
from session_server.demo.loader import DEMO_PASSWORD
from session_server.documents import storage


@dataclass
class DemoRun:
    data_dir: Path
    first: str
    second: str

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with contextlib.closing(sqlite3.connect(self.data_dir / "hopso.sqlite3")) as database:
            return database.execute(sql).fetchall()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """`hopso demo --no-serve` run twice on one data folder, once for the module.

    The 38 demo accounts share one password; hashing it once (a real Argon2 hash, salted once) saves seconds.
    """
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    outputs = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "hash_password", functools.cache(hash_password))
        for name in list(os.environ):
            if name.startswith("HOPSO_"):
                patch.delenv(name)
        patch.setenv("HOPSO_DATA_DIR", str(data_dir))
        for _ in range(2):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                main(["demo", "--no-serve"])
            outputs.append(out.getvalue())
    return DemoRun(data_dir, *outputs)


def test_a_second_demo_run_reuses_the_council_instead_of_duplicating_it(demo: DemoRun) -> None:
    assert demo.query("SELECT count(*) FROM councils") == [(1,)]
    assert demo.query("SELECT count(*) FROM members") == [(35,)]
    assert demo.query("SELECT count(*) FROM sessions") == [(1,)]
    assert demo.query("SELECT count(*) FROM users") == [(38,)]
    assert demo.query("SELECT count(*) FROM petitions") == [(6,)]
    assert demo.second == demo.first


def test_the_demo_banner_shows_the_addresses_and_the_logins(demo: DemoRun) -> None:
    banner = demo.second
    for address in ("/tablet/", "/chair/", "/public/", "/staff/", "/login/", "/staff/petitions/"):
        assert f"http://127.0.0.1:8080{address}" in banner
    assert DEMO_PASSWORD in banner
    for login in ("admin", "thuky", "db01", "db02", "ubnd"):
        assert f"    {login} " in banner
    assert "db01…db35 là 35 đại biểu" in banner


def test_the_demo_council_has_its_members_session_agenda_and_motions(demo: DemoRun) -> None:
    assert demo.query("SELECT name, total_delegates FROM councils") == [("Hội đồng nhân dân xã Kiến Minh", 35)]
    session = demo.query(
        "SELECT s.title, s.status, chair.code, secretary.code FROM sessions s "
        "JOIN members chair ON chair.id = s.chair_member_id JOIN members secretary ON secretary.id = s.secretary_member_id"
    )
    assert session == [("Kỳ họp thứ Năm (kỳ họp thường lệ cuối năm 2026)", "scheduled", "DB01", "DB02")]
    assert [row[0] for row in demo.query("SELECT position FROM agenda_items ORDER BY position")] == list(range(1, 8))
    assert demo.query("SELECT count(*) FROM motions") == [(2,)]
    assert demo.query("SELECT full_name, title FROM members WHERE code = 'DB01'") == [
        ("Bùi Minh Bình", "Chủ tịch HĐND")
    ]
    delegates = demo.query("SELECT count(*) FROM users WHERE role = 'delegate' AND member_id IS NOT NULL")
    assert delegates == [(35,)]


def test_a_demo_login_opens_with_the_printed_password(demo: DemoRun) -> None:
    [(password_hash,)] = demo.query("SELECT password_hash FROM users WHERE username = 'db01'")

    assert verify_password(str(password_hash), DEMO_PASSWORD)


def test_the_demo_reports_are_public_documents_of_the_session_with_vietnamese_text(demo: DemoRun) -> None:
    rows = demo.query("SELECT id, version, classification, agenda_item_id FROM documents ORDER BY id")
    pdfs = [storage.version_path(demo.data_dir, int(str(id_)), int(str(version))) for id_, version, _, _ in rows]

    assert len(rows) == 2
    assert {classification for _, _, classification, _ in rows} == {"public"}
    assert all(item is not None for *_, item in rows)
    for path in pdfs:
        with pymupdf.open(path) as document:
            assert document.page_count >= 2, path.name
            text = "".join(page.get_text() for page in document)
        assert "ngân sách" in text, path.name
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
