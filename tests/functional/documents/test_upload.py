"""Staff upload PDFs to a session; what is accepted is stored whole, what is refused leaves nothing behind."""

from __future__ import annotations

import asyncio
import gc
import io
import time
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from session_server.app import create_app
from session_server.db.models import Document, DocumentPage, DocumentVersion
from session_server.documents import workers
from session_server.documents.storage import version_path
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import make_world
from tests.functional.api.checks import count, error_of
from tests.functional.documents.conftest import (
    BUDGET_PAGES,
    DocWorld,
    form,
    make_doc_world,
    settle,
    stored_files,
    upload,
    uploaded,
)
from tests.pdfs import encrypted_pdf_bytes, many_pages_pdf_bytes, pdf_bytes, repeated_kid_pdf_bytes


async def test_an_uploaded_pdf_is_stored_with_its_pages_text_and_outline(client: TestClient, docs: DocWorld) -> None:
    data = pdf_bytes(BUDGET_PAGES, outline=[(1, "Tờ trình", 1), (1, "Dự thảo nghị quyết", 2)])

    document = await uploaded(
        client,
        docs.secretary,
        docs.session_id,
        data=data,
        kind="submission",
        classification="internal",
        agenda_item_id=docs.agenda_item_id,
    )

    assert document["title"] == "Tờ trình dự toán ngân sách 2027"
    assert document["kind"] == "submission"
    assert document["classification"] == "internal"
    assert document["agenda_item_id"] == docs.agenda_item_id
    assert document["page_count"] == 3
    assert document["version"] == 1
    assert document["size_bytes"] == len(data)
    detail = await (await client.get(f"/api/documents/{document['id']}", headers=docs.delegate.headers)).json()
    assert detail["outline"] == [
        {"level": 1, "title": "Tờ trình", "page": 1},
        {"level": 1, "title": "Dự thảo nghị quyết", "page": 2},
    ]
    text = await (
        await client.get(f"/api/documents/{document['id']}/pages/2/text", headers=docs.delegate.headers)
    ).json()
    assert "phân bổ ngân sách địa phương" in text["text"]
    settings = services_of(client.app).settings
    assert version_path(settings.data_dir, document["id"], 1).read_bytes() == data


async def test_the_title_defaults_to_the_vietnamese_file_name(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, filename="Báo cáo thẩm tra số 12.pdf", title="")

    assert document["title"] == "Báo cáo thẩm tra số 12"
    assert document["file_name"] == "Báo cáo thẩm tra số 12.pdf"


async def test_a_path_like_file_name_is_kept_as_a_name_and_never_used_as_a_path(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, filename="../../etc/passwd.pdf")

    assert document["file_name"] == "passwd.pdf"
    settings = services_of(client.app).settings
    assert stored_files(client) == [version_path(settings.data_dir, document["id"], 1)]
    assert not (settings.data_dir.parent / "etc").exists()
    download = await client.get(f"/api/documents/{document['id']}/file", headers=docs.delegate.headers)
    assert download.headers["Content-Disposition"] == "attachment; filename=\"passwd.pdf\"; filename*=UTF-8''passwd.pdf"


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        pytest.param(b"", 400, "empty_file", id="zero-bytes"),
        pytest.param(_zip_bytes(), 415, "not_pdf", id="zip-renamed-pdf"),
        pytest.param(b"MZ\x90\x00\x03" + bytes(200), 415, "not_pdf", id="exe-renamed-pdf"),
        pytest.param(b"Day la van ban thuong, khong phai PDF.", 415, "not_pdf", id="plain-text"),
        pytest.param(pdf_bytes(BUDGET_PAGES)[:3000], 422, "damaged_pdf", id="truncated"),
        pytest.param(b"%PDF-1.7\nrac rac rac\n%%EOF\n", 422, "damaged_pdf", id="garbage-after-header"),
        pytest.param(encrypted_pdf_bytes(), 422, "encrypted_pdf", id="password-protected"),
        pytest.param(repeated_kid_pdf_bytes(), 422, "damaged_pdf", id="page-tree-repeating-one-page"),
    ],
)
async def test_a_file_that_is_not_a_readable_pdf_is_refused_and_nothing_is_stored(
    client: TestClient, docs: DocWorld, data: bytes, status: int, code: str
) -> None:
    response = await upload(client, docs.secretary, docs.session_id, data=data)

    error = await error_of(response, status, code)
    assert error["message"]
    assert await count(client, Document) == 0
    assert await count(client, DocumentVersion) == 0
    assert await count(client, DocumentPage) == 0
    assert stored_files(client) == []


async def test_refusals_name_what_the_file_really_is_in_the_callers_language(
    client: TestClient, docs: DocWorld
) -> None:
    vietnamese = await error_of(
        await upload(client, docs.secretary, docs.session_id, data=_zip_bytes()), 415, "not_pdf"
    )
    english = await error_of(
        await client.post(
            f"/api/sessions/{docs.session_id}/documents?lang=en",
            data=form(_zip_bytes()),
            headers=docs.secretary.headers,
        ),
        415,
        "not_pdf",
    )

    assert "ZIP" in vietnamese["message"] and "không phải PDF" in vietnamese["message"]
    assert english["message"].startswith("This file is a ZIP archive")


async def test_a_file_of_no_known_kind_is_simply_not_a_pdf(client: TestClient, docs: DocWorld) -> None:
    html = b"<!doctype html><html><body>Trang web</body></html>"

    error = await error_of(await upload(client, docs.secretary, docs.session_id, data=html), 415, "not_pdf")

    assert error["message"] == "Tệp này không phải PDF. Hãy xuất tài liệu ra PDF rồi tải lên lại."


async def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(client: TestClient, docs: DocWorld) -> None:
    limit = services_of(client.app).settings.max_upload_bytes
    data = pdf_bytes(BUDGET_PAGES) + b"%" + b"0" * limit

    error = await error_of(await upload(client, docs.secretary, docs.session_id, data=data), 413, "too_large")

    assert "MB" in error["message"]
    assert await count(client, Document) == 0
    assert stored_files(client) == []


async def test_an_upload_without_the_state_secret_confirmation_is_refused(client: TestClient, docs: DocWorld) -> None:
    response = await upload(client, docs.secretary, docs.session_id, not_state_secret="false")

    error = await error_of(response, 400, "invalid")
    assert "tài liệu mật" in error["message"].lower()
    assert error["details"] == [{"field": "not_state_secret", "problem": "must be true"}]
    assert await count(client, Document) == 0
    assert stored_files(client) == []


async def test_the_upload_rules_tell_staff_that_state_secrets_do_not_belong_here(
    client: TestClient, docs: DocWorld
) -> None:
    rules = await (await client.get("/api/documents/upload-rules", headers=docs.secretary.headers)).json()

    assert "tài liệu mật" in rules["state_secret_notice_vi"].lower()
    assert rules["max_upload_bytes"] == services_of(client.app).settings.max_upload_bytes
    assert [k["value"] for k in rules["kinds"]] == [
        "submission",
        "report",
        "review_report",
        "draft_resolution",
        "other",
    ]
    assert [k["vi"] for k in rules["kinds"]][:4] == ["Tờ trình", "Báo cáo", "Báo cáo thẩm tra", "Dự thảo nghị quyết"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"classification": "secret"}, "classification", id="unknown-classification"),
        pytest.param({"kind": "memo"}, "kind", id="unknown-kind"),
        pytest.param({"mayor": "x"}, "mayor", id="unknown-field"),
        pytest.param({"title": "T" * 501}, "title", id="title-too-long"),
    ],
)
async def test_bad_form_fields_are_refused_naming_the_field(
    client: TestClient, docs: DocWorld, fields: dict[str, str], field: str
) -> None:
    error = await error_of(await upload(client, docs.secretary, docs.session_id, **fields), 400, "invalid")

    assert [detail["field"] for detail in error["details"]] == [field]
    assert stored_files(client) == []


async def test_an_agenda_item_of_another_session_is_refused(client: TestClient, docs: DocWorld) -> None:
    response = await upload(client, docs.secretary, docs.closed_session_id, agenda_item_id=docs.agenda_item_id)

    error = await error_of(response, 400, "invalid")
    assert error["details"][0]["field"] == "agenda_item_id"
    assert stored_files(client) == []


async def test_a_request_that_is_not_a_form_is_refused(client: TestClient, docs: DocWorld) -> None:
    response = await client.post(
        f"/api/sessions/{docs.session_id}/documents",
        data=pdf_bytes(BUDGET_PAGES),
        headers={**docs.secretary.headers, "Content-Type": "application/pdf"},
    )

    await error_of(response, 400, "invalid")
    assert stored_files(client) == []


async def test_a_form_whose_parts_have_no_headers_is_refused(client: TestClient, docs: DocWorld) -> None:
    response = await client.post(
        f"/api/sessions/{docs.session_id}/documents",
        data=b"--abc\r\n--abc--\r\n",
        headers={**docs.secretary.headers, "Content-Type": "multipart/form-data; boundary=abc"},
    )

    await error_of(response, 400, "invalid")
    assert stored_files(client) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the PDF pool's work, the same on either
async def test_a_two_thousand_page_pdf_is_accepted_without_stalling_the_server(
    client: TestClient, docs: DocWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PRERENDER_PAGES", 40)  # the first pages only, and fewer than the app's, for time
    data = many_pages_pdf_bytes(2000)
    stalls: list[float] = []
    answered_meanwhile: list[int] = []

    async def watch_the_loop() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            stalls.append(now - last - 0.01)
            last = now

    async def ask_for_health() -> None:
        while True:
            answered_meanwhile.append((await client.get("/healthz")).status)

    # A full collection of what a long test run left on the heap would otherwise land inside the measured window.
    gc.collect()
    watchers = [asyncio.create_task(watch_the_loop()), asyncio.create_task(ask_for_health())]
    started = time.perf_counter()
    try:
        document = await uploaded(client, docs.secretary, docs.session_id, data=data)
    finally:
        for watcher in watchers:
            watcher.cancel()

    assert document["page_count"] == 2000
    assert await count(client, DocumentPage) == 2000
    # PyMuPDF reads the 2,000 pages in a worker process: the server answers others meanwhile. Reading them on the
    # event loop would stall it for most of the upload; a busy machine may still pause the process now and then.
    elapsed = time.perf_counter() - started
    assert len(answered_meanwhile) >= 5 and set(answered_meanwhile) == {200}
    assert max(stalls) < max(1.0, elapsed / 4), f"the event loop stalled {max(stalls):.2f} s of {elapsed:.2f} s"
    await settle(client)
    cache = services_of(client.app).settings.data_dir / "page-cache" / str(document["id"]) / "1" / "1600"
    assert sorted(int(path.stem) for path in cache.iterdir()) == list(range(1, 41))
    last = await client.get(
        f"/api/documents/{document['id']}/pages/2000?w=800", headers={**docs.delegate.headers, "Accept": "image/webp"}
    )
    assert last.status == 200


async def test_a_new_version_replaces_the_old_for_tablets_and_the_old_stays_in_the_record(
    client: TestClient, docs: DocWorld
) -> None:
    original = pdf_bytes(BUDGET_PAGES)
    document = await uploaded(client, docs.secretary, docs.session_id, data=original)
    new = pdf_bytes(["Bản sửa đổi: dự toán ngân sách điều chỉnh", "Trang hai"])

    response = await client.post(
        f"/api/documents/{document['id']}/versions",
        data=form(new),
        headers=docs.secretary.headers,
    )

    assert response.status == 201, await response.text()
    replaced = await response.json()
    assert (replaced["id"], replaced["version"], replaced["page_count"]) == (document["id"], 2, 2)
    detail = await (await client.get(f"/api/documents/{document['id']}", headers=docs.delegate.headers)).json()
    assert [(v["version"], v["page_count"]) for v in detail["versions"]] == [(1, 3), (2, 2)]
    text = await (
        await client.get(f"/api/documents/{document['id']}/pages/1/text", headers=docs.delegate.headers)
    ).json()
    assert text["version"] == 2 and "Bản sửa đổi" in text["text"]
    current = await client.get(f"/api/documents/{document['id']}/file", headers=docs.delegate.headers)
    assert await current.read() == new
    old = await client.get(f"/api/documents/{document['id']}/file?version=1", headers=docs.secretary.headers)
    assert await old.read() == original
    async with services_of(client.app).sessionmaker() as db:
        assert (await db.scalar(select(Document).where(Document.id == document["id"]))).version == 2


async def test_a_broken_new_version_leaves_the_current_one_in_place(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    response = await client.post(
        f"/api/documents/{document['id']}/versions",
        data=form(encrypted_pdf_bytes()),
        headers=docs.secretary.headers,
    )

    await error_of(response, 422, "encrypted_pdf")
    detail = await (await client.get(f"/api/documents/{document['id']}", headers=docs.delegate.headers)).json()
    assert detail["version"] == 1 and len(detail["versions"]) == 1
    settings = services_of(client.app).settings
    assert stored_files(client) == [version_path(settings.data_dir, document["id"], 1)]


async def test_a_streamed_upload_is_cut_off_at_the_limit_and_leaves_nothing(
    aiohttp_client: Any, tmp_path: Path, sqlite_database: str
) -> None:
    client = await aiohttp_client(create_app(make_settings(tmp_path, sqlite_database, max_upload_mb=1)))
    docs = await make_doc_world(client, await make_world(services_of(client.app).sessionmaker))
    boundary = "hopso-bien-gioi"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="not_state_secret"\r\n\r\ntrue\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()

    async def body() -> AsyncIterator[bytes]:
        yield head + b"%PDF-1.7\n"
        for _ in range(40):
            yield b"0" * 64 * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    response = await client.post(
        f"/api/sessions/{docs.session_id}/documents",
        data=body(),
        headers={**docs.secretary.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    error = await error_of(response, 413, "too_large")
    assert "1 MB" in error["message"]
    assert stored_files(client) == []
