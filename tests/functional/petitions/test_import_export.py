"""The compilation workbook in: a preview with the guessed mapping, then every row or none; out: the compiled
report and the statistics as XLSX with formula-like text neutralised; a voter's data exported and erased."""

from __future__ import annotations

import io
from typing import Any

from aiohttp.test_utils import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from session_server.petitions.export import XLSX
from session_server.petitions.models import Petition, PetitionVoter
from tests.factories import World
from tests.functional.api.checks import count, error_of
from tests.functional.petitions.conftest import enter, ok
from tests.workbooks import compilation, encrypted


async def _preview(client: TestClient, world: World, data: bytes) -> Any:
    return await client.post(
        f"/api/councils/{world.council.id}/petitions/import/preview?file_name=tong-hop-2026.xlsx",
        data=data,
        headers={**world.secretary.headers, "Content-Type": XLSX},
    )


async def _import(client: TestClient, world: World, token: str, mapping: dict[str, str]) -> Any:
    return await client.post(
        f"/api/councils/{world.council.id}/petitions/import",
        json={"token": token, "mapping": mapping, "term": "2021–2026"},
        headers=world.secretary.headers,
    )


async def test_a_compilation_workbook_is_previewed_then_imported_whole(client: TestClient, world: World) -> None:
    preview = await ok(await _preview(client, world, compilation()))

    assert (preview["sheet"], preview["header_row"], preview["rows"]) == ("Tổng hợp", 7, 5)
    assert {c["letter"]: c["target"] for c in preview["columns"]}["B"] == "content"
    mapping = {c["letter"]: c["target"] for c in preview["columns"]}
    result = await ok(await _import(client, world, preview["token"], mapping), 201)

    assert result["created"] == 5
    listed = await ok(
        await client.get(
            f"/api/councils/{world.council.id}/petitions?import_id={result['import_id']}&per_page=10",
            headers=world.secretary.headers,
        )
    )
    by_locality = {p["locality"]: p for p in listed["items"]}
    assert by_locality["Thôn Đông"]["field"] == "Giao thông" and by_locality["Thôn Đông"]["voter_count"] == 14
    assert by_locality["Toàn xã"]["status"] == "forwarded" and by_locality["Toàn xã"]["deadline"] == "2027-01-15"
    assert by_locality["Toàn xã"]["agency_name"] == "Ủy ban nhân dân xã Thử Nghiệm"
    detail = await ok(
        await client.get(f"/api/petitions/{by_locality['Thôn Đông']['id']}", headers=world.secretary.headers)
    )
    assert [v["full_name"] for v in detail["voters"]] == ["Nguyễn Văn Tư", "Lê Thị Hoa"]
    assert detail["sources"][0]["reference"] == "tong-hop-2026.xlsx, dòng 10"
    history = [(e["type"], e["data"].get("file_name"), e["actor"]) for e in detail["events"]]
    assert history == [("imported", "tong-hop-2026.xlsx", world.secretary.user.display_name)]
    found = await ok(
        await client.get(
            f"/api/councils/{world.council.id}/petitions?q=thon dong&locality=Thôn Đông",
            headers=world.secretary.headers,
        )
    )
    assert [p["id"] for p in found["items"]] == [by_locality["Thôn Đông"]["id"]], "an imported petition is searchable"
    assert detail["received_on"] == "2026-11-07" and detail["term"] == "2021–2026"
    assigned = await ok(await client.get("/api/assigned-petitions", headers=world.agency_user.headers))
    assert [p["locality"] for p in assigned["items"]] == ["Toàn xã"]

    again = await _import(client, world, preview["token"], mapping)
    await error_of(again, 404, "not_found")

    groups = await ok(
        await client.get(f"/api/petition-imports/{result['import_id']}/duplicates", headers=world.secretary.headers)
    )
    assert [(g["petition"]["locality"], [c["locality"] for c in g["candidates"]]) for g in groups] == [
        ("Thôn Đông", ["Thôn Tây"])
    ]


async def test_a_workbook_with_bad_rows_imports_nothing_and_lists_each_line(client: TestClient, world: World) -> None:
    def spoil(sheet: Worksheet) -> None:
        sheet["B11"] = '=HYPERLINK("http://example.com", "Bấm vào đây")'
        sheet["E12"] = "32/11/2026"

    preview = await ok(await _preview(client, world, compilation(tweak=spoil)))
    mapping = {c["letter"]: c["target"] for c in preview["columns"]}

    error = await error_of(await _import(client, world, preview["token"], mapping), 400, "invalid")

    assert [(d["line"], d["column"]) for d in error["details"]] == [(11, "B"), (12, "E")]
    assert error["message"].startswith("Bảng tính có 2 ô lỗi; chưa nhập dòng nào.")
    assert await count(client, Petition) == 0


async def test_a_mapping_without_the_content_column_is_refused(client: TestClient, world: World) -> None:
    preview = await ok(await _preview(client, world, compilation()))
    mapping = {c["letter"]: c["target"] for c in preview["columns"]} | {"B": "ignore"}

    error = await error_of(await _import(client, world, preview["token"], mapping), 400, "invalid")

    assert "nội dung ý kiến" in error["message"]
    assert await count(client, Petition) == 0


async def test_ugly_files_are_refused_clearly(client: TestClient, world: World) -> None:
    cases = [
        (b"STT,Noi dung\n1,Sua duong\n", "không phải bảng tính"),
        (encrypted(compilation()), "đặt mật khẩu"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
    ]
    for data, words in cases:
        error = await error_of(await _preview(client, world, data), 400, "invalid")
        assert words in error["message"]
    agency = await _preview(client, world, compilation())
    assert agency.status == 200
    forbidden = await client.post(
        f"/api/councils/{world.council.id}/petitions/import/preview",
        data=compilation(),
        headers={**world.agency_user.headers, "Content-Type": XLSX},
    )
    await error_of(forbidden, 403, "forbidden")


async def test_the_export_neutralises_formula_like_text_and_holds_no_voter_data(
    client: TestClient, world: World
) -> None:
    await enter(client, world, '=HYPERLINK("http://evil.example", "Bấm vào")', field="Giao thông")
    await enter(client, world, "@SUM(1+1) cử tri muốn thử", voters=[{"full_name": "Vũ Thị Kín", "contact": "0900"}])
    await enter(client, world, "Đề nghị nâng cấp chợ xã", field="Thương mại")

    response = await client.get(
        f"/api/councils/{world.council.id}/petitions/export.xlsx", headers=world.secretary.headers
    )
    assert response.status == 200 and response.content_type == XLSX
    sheet = load_workbook(io.BytesIO(await response.read())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    cells = [str(v) for row in values for v in row if v is not None]

    assert values[0][0] == "HỘI ĐỒNG NHÂN DÂN XÃ THỬ NGHIỆM"
    assert values[4][:3] == ["STT", "Nội dung ý kiến, kiến nghị", "Lĩnh vực"]
    assert '\'=HYPERLINK("http://evil.example", "Bấm vào")' in cells
    assert "'@SUM(1+1) cử tri muốn thử" in cells
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert not any("Vũ Thị Kín" in c or c == "0900" for c in cells)


async def test_statistics_count_by_field_agency_status_and_overdue(client: TestClient, world: World) -> None:
    road = await enter(client, world, "Sửa đường thôn Đông", field="Giao thông", level="commune")
    await enter(client, world, "Sửa cầu thôn Tây", field="Giao thông", level="commune")
    await enter(client, world, "Thêm bác sĩ trạm y tế", field="Y tế", level="commune")
    await ok(
        await client.post(
            f"/api/petitions/{road['id']}/forward",
            json={"agency_id": world.agency.id, "deadline": "2020-01-01"},
            headers=world.secretary.headers,
        )
    )

    figures = await ok(
        await client.get(f"/api/councils/{world.council.id}/petitions/stats", headers=world.secretary.headers)
    )
    table = await client.get(f"/api/councils/{world.council.id}/petitions/stats.xlsx", headers=world.secretary.headers)

    assert (figures["total"], figures["answered"], figures["overdue"]) == (3, 0, 1)
    assert [(r["key"], r["total"], r["overdue"]) for r in figures["by_field"]] == [("Giao thông", 2, 1), ("Y tế", 1, 0)]
    assert {r["key"]: r["total"] for r in figures["by_agency"]} == {"Ủy ban nhân dân xã Thử Nghiệm": 1, "": 2}
    assert {r["key"]: r["total"] for r in figures["by_status"]} == {"classified": 2, "forwarded": 1}
    rows = [[c.value for c in row][:4] for row in load_workbook(io.BytesIO(await table.read())).active.iter_rows()]
    assert ["Giao thông", 2, 0, 1] in rows and ["Đã chuyển cơ quan giải quyết", 1, 0, 1] in rows


async def test_a_voters_data_is_exported_and_erased_on_request_and_the_petitions_stay(
    client: TestClient, world: World
) -> None:
    voter = {"full_name": "Nguyễn Thị Lan", "address": "Thôn Đông", "contact": "0912 000 111"}
    first = await enter(client, world, "Đề nghị sửa đường thôn Đông", voters=[voter])
    await enter(client, world, "Đề nghị lắp đèn đường thôn Đông", voters=[voter, {"full_name": "Trần Văn Khác"}])
    ask = {"full_name": "nguyen thi lan", "contact": "0912 000 111"}
    base = f"/api/councils/{world.council.id}/voter-data"

    exported = await ok(await client.post(f"{base}/export", json=ask, headers=world.secretary.headers))
    erased = await ok(await client.post(f"{base}/erase", json=ask, headers=world.secretary.headers))
    after = await ok(await client.post(f"{base}/export", json=ask, headers=world.secretary.headers))

    assert [(r["kind"], r["full_name"], r["contact"]) for r in exported["records"]] == [
        ("petition_voter", "Nguyễn Thị Lan", "0912 000 111"),
        ("petition_voter", "Nguyễn Thị Lan", "0912 000 111"),
    ]
    assert erased == {"erased": 2} and after["records"] == []
    assert await count(client, Petition) == 2
    assert await count(client, PetitionVoter, PetitionVoter.full_name == "Trần Văn Khác") == 1
    detail = await ok(await client.get(f"/api/petitions/{first['id']}", headers=world.secretary.headers))
    assert detail["voters"][0]["erased"] and detail["voters"][0]["full_name"] == ""
    assert detail["events"][-1]["type"] == "voter_erased"
