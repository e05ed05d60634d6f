"""Importing a council's members from the CSV file a secretary exports from Excel: all rows or none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select

from session_server.app import create_app
from session_server.db.models import Member
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import Account, World, make_world
from tests.functional.api.checks import count, error_of

VIETNAMESE_CSV = """mã,họ và tên,chức vụ,tổ,ban
DB01,Trần Thị Bình,Chủ tịch HĐND,Tổ đại biểu số 1,
DB02,Nguyễn Văn Đức,Phó Chủ tịch HĐND,Tổ đại biểu số 2,Ban Pháp chế
DB03,Lê Thị Hồng Nhung,,Tổ đại biểu số 1,Ban Kinh tế - Ngân sách
"""


async def _import(client: TestClient, account: Account, council_id: int, body: Any) -> ClientResponse:
    return await client.post(
        f"/api/councils/{council_id}/members/import",
        data=body,
        headers={**account.headers, "Content-Type": "text/csv"},
    )


async def _members(client: TestClient, council_id: int) -> list[tuple[str, str, str, str, str]]:
    async with services_of(client.app).sessionmaker() as db:
        rows = await db.scalars(select(Member).where(Member.council_id == council_id).order_by(Member.code))
        return [(m.code, m.full_name, m.title, m.group, m.committee) for m in rows]


async def test_a_utf8_file_with_vietnamese_headers_and_names_is_imported(client: TestClient, world: World) -> None:
    response = await _import(client, world.secretary, world.council.id, VIETNAMESE_CSV.encode())

    assert response.status == 200
    assert await response.json() == {"created": 2, "updated": 1}
    assert await _members(client, world.council.id) == [
        ("DB01", "Trần Thị Bình", "Chủ tịch HĐND", "Tổ đại biểu số 1", ""),
        ("DB02", "Nguyễn Văn Đức", "Phó Chủ tịch HĐND", "Tổ đại biểu số 2", "Ban Pháp chế"),
        ("DB03", "Lê Thị Hồng Nhung", "", "Tổ đại biểu số 1", "Ban Kinh tế - Ngân sách"),
    ]


async def test_importing_the_same_file_again_updates_instead_of_duplicating(client: TestClient, world: World) -> None:
    await _import(client, world.secretary, world.council.id, VIETNAMESE_CSV.encode())
    changed = VIETNAMESE_CSV.replace("Phó Chủ tịch HĐND", "Ủy viên Thường trực")

    response = await _import(client, world.secretary, world.council.id, changed.encode())

    assert await response.json() == {"created": 0, "updated": 3}
    members = await _members(client, world.council.id)
    assert len(members) == 3
    assert members[1][2] == "Ủy viên Thường trực"


async def test_a_file_with_english_headers_in_any_order_is_imported(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    csv = "Committee,Code,Full_Name,Group,Title\nBan Pháp chế,DB07,Hoàng Văn Bảy,Tổ 3,Ủy viên\n"

    response = await _import(sqlite_client, sqlite_world.admin, sqlite_world.council.id, csv.encode())

    assert await response.json() == {"created": 1, "updated": 0}
    assert ("DB07", "Hoàng Văn Bảy", "Ủy viên", "Tổ 3", "Ban Pháp chế") in await _members(
        sqlite_client, sqlite_world.council.id
    )


async def test_an_excel_file_with_a_byte_order_mark_semicolons_and_crlf_is_imported(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    csv = "Mã đại biểu;Họ tên;Chức vụ\r\nDB08;Đặng Thị Tám;Ủy viên, Tổ trưởng\r\nDB09;Bùi Văn Chín;\r\n\r\n"

    response = await _import(sqlite_client, sqlite_world.admin, sqlite_world.council.id, csv.encode("utf-8-sig"))

    assert await response.json() == {"created": 2, "updated": 0}
    members = await _members(sqlite_client, sqlite_world.council.id)
    assert ("DB08", "Đặng Thị Tám", "Ủy viên, Tổ trưởng", "", "") in members
    assert ("DB09", "Bùi Văn Chín", "", "", "") in members


@pytest.mark.parametrize(
    "legacy",
    [
        pytest.param("code,full_name\nDB05,Nguyen Van Nam\nDB06,Lê Văn Hùng\n".encode("cp1258"), id="windows-1258"),
        pytest.param("code,full_name\nDB05,Nguyen Van Nam\nDB06,Lê Hoà\n".encode("latin-1"), id="latin-1"),
    ],
)
async def test_a_file_not_in_utf8_is_refused_with_how_to_save_it(
    sqlite_client: TestClient, sqlite_world: World, legacy: bytes
) -> None:
    response = await _import(sqlite_client, sqlite_world.secretary, sqlite_world.council.id, legacy)

    error = await error_of(response, 400, "invalid")
    assert error["message"] == "Tệp CSV phải dùng mã UTF-8 (trong Excel: Lưu dạng “CSV UTF-8”)."
    assert error["details"][0]["line"] == 3
    assert await count(sqlite_client, Member) == 1


async def test_repeated_codes_are_refused_naming_both_lines(sqlite_client: TestClient, sqlite_world: World) -> None:
    csv = "mã,họ và tên\nDB05,Nguyễn Văn Năm\nDB06,Trần Văn Sáu\nDB05,Lê Văn Trùng\n"

    response = await _import(sqlite_client, sqlite_world.secretary, sqlite_world.council.id, csv.encode())

    error = await error_of(response, 400, "invalid")
    assert error["message"] == "Tệp CSV có 1 dòng lỗi; chưa nhập dòng nào."
    assert error["details"] == [
        {"line": 4, "problem": "code DB05 repeats line 2", "problem_vi": "mã DB05 trùng với dòng 2"}
    ]
    assert await count(sqlite_client, Member) == 1


async def test_one_bad_row_among_good_ones_imports_nothing(sqlite_client: TestClient, sqlite_world: World) -> None:
    csv = "mã,họ và tên\nDB05,Nguyễn Văn Năm\nDB 06,Trần Văn Sáu\nDB07,X\nDB08,Phạm Thị Tám\n"

    response = await _import(sqlite_client, sqlite_world.secretary, sqlite_world.council.id, csv.encode())

    error = await error_of(response, 400, "invalid")
    assert error["message"] == "Tệp CSV có 2 dòng lỗi; chưa nhập dòng nào."
    assert [(d["line"], d["problem_vi"]) for d in error["details"]] == [
        (3, "giá trị không hợp lệ ở cột code"),
        (4, "giá trị không hợp lệ ở cột full_name"),
    ]
    assert await _members(sqlite_client, sqlite_world.council.id) == [("DB01", "Trần Thị Bình", "", "", "")]


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        pytest.param(
            "họ và tên,chức vụ\nNguyễn Văn Năm,Ủy viên\n",
            "Tệp CSV thiếu cột: code (cần ít nhất “mã” và “họ và tên”).",
            id="missing-code-column",
        ),
        pytest.param(
            "stt,tên\n1,Nguyễn Văn Năm\n",
            "Tệp CSV thiếu cột: code, full_name (cần ít nhất “mã” và “họ và tên”).",
            id="unknown-headers",
        ),
        pytest.param("", "Tệp CSV trống.", id="empty-file"),
        pytest.param("mã,họ và tên\n\n", "Tệp CSV không có dòng dữ liệu.", id="header-only"),
    ],
)
async def test_a_file_without_the_needed_columns_or_rows_is_refused(
    sqlite_client: TestClient, sqlite_world: World, csv: str, message: str
) -> None:
    response = await _import(sqlite_client, sqlite_world.secretary, sqlite_world.council.id, csv.encode())

    error = await error_of(response, 400, "invalid")
    assert error["message"] == message
    assert await count(sqlite_client, Member) == 1


async def _trickle(raw: bytes, piece: int = 16 * 1024) -> AsyncIterator[bytes]:
    """The body in pieces with pauses between them, as a slow office connection delivers it."""
    for start in range(0, len(raw), piece):
        yield raw[start : start + piece]
        await asyncio.sleep(0.02)


async def test_a_file_that_arrives_slowly_is_imported_whole(sqlite_client: TestClient, sqlite_world: World) -> None:
    rows = "".join(f"DB{n:04d},Nguyễn Văn Số {n}\n" for n in range(2, 1501))
    raw = ("mã,họ và tên\n" + rows).encode()

    response = await sqlite_client.post(
        f"/api/councils/{sqlite_world.council.id}/members/import",
        data=_trickle(raw),
        headers={**sqlite_world.admin.headers, "Content-Type": "text/csv", "Content-Length": str(len(raw))},
    )

    assert await response.json() == {"created": 1499, "updated": 0}
    assert await count(sqlite_client, Member) == 1500


def _oversized() -> bytes:
    row = "DB{n:04d},Nguyễn Văn Một Hai Ba Bốn Năm Sáu Bảy Tám Chín Mười\n"
    return ("mã,họ và tên\n" + "".join(row.format(n=n) for n in range(20_000))).encode()


@pytest.mark.parametrize("chunked", [False, True], ids=["with-length", "chunked"])
async def test_a_file_over_the_upload_limit_is_refused(
    aiohttp_client: AiohttpClient, tmp_path: Path, sqlite_database: str, chunked: bool
) -> None:
    app = create_app(make_settings(tmp_path, sqlite_database, max_upload_mb=1))
    client = await aiohttp_client(app)
    world = await make_world(services_of(app).sessionmaker)
    raw = _oversized()
    assert len(raw) > 1024 * 1024

    response = await _import(client, world.secretary, world.council.id, _trickle(raw, 256 * 1024) if chunked else raw)

    error = await error_of(response, 413, "too_large")
    assert error["message"] == "Dữ liệu gửi lên vượt quá giới hạn 1 MB."
    assert await count(client, Member) == 1
