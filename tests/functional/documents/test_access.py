"""Who may do what with documents: staff manage their council's, delegates read them, other councils see nothing."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from session_server.db.models import CouncilSession, Document, SessionStatus
from session_server.services import services_of
from tests.functional.api.checks import count, error_of
from tests.functional.documents.conftest import DocWorld, form, stored_files, upload, uploaded
from tests.pdfs import pdf_bytes


async def test_a_delegate_cannot_upload(client: TestClient, docs: DocWorld) -> None:
    response = await upload(client, docs.delegate, docs.session_id)

    await error_of(response, 403, "forbidden")
    assert await count(client, Document) == 0
    assert stored_files(client) == []


async def test_staff_of_another_council_cannot_upload_to_this_one(client: TestClient, docs: DocWorld) -> None:
    response = await upload(client, docs.world.other_secretary, docs.session_id)

    error = await error_of(response, 403, "forbidden")
    assert error["message"] == "Bạn chỉ làm việc được với hội đồng nhân dân của mình."
    assert stored_files(client) == []


async def test_an_admin_uploads_to_any_council(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.world.admin, docs.other_session_id)

    assert document["session_id"] == docs.other_session_id


async def test_an_upload_to_a_session_that_does_not_exist_is_not_found(client: TestClient, docs: DocWorld) -> None:
    await error_of(await upload(client, docs.secretary, 9999), 404, "not_found")
    assert stored_files(client) == []


async def test_delegates_read_internal_and_restricted_documents_of_their_council(
    client: TestClient, docs: DocWorld
) -> None:
    ids = {
        c: (await uploaded(client, docs.secretary, docs.session_id, classification=c))["id"]
        for c in ("public", "internal", "restricted")
    }

    listed = await (
        await client.get(f"/api/sessions/{docs.session_id}/documents", headers=docs.delegate.headers)
    ).json()
    details = [await client.get(f"/api/documents/{i}", headers=docs.delegate.headers) for i in ids.values()]

    assert {d["id"]: d["classification"] for d in listed} == {i: c for c, i in ids.items()}
    assert [r.status for r in details] == [200, 200, 200]


async def test_another_councils_staff_cannot_read_or_change_the_documents(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    outsider = docs.world.other_secretary.headers
    base = f"/api/documents/{document['id']}"

    answers = [
        await client.get(base, headers=outsider),
        await client.get(f"{base}/pages/1?w=800", headers=outsider),
        await client.get(f"{base}/pages/1/text", headers=outsider),
        await client.get(f"{base}/file", headers=outsider),
        await client.patch(base, json={"title": "Đổi tên"}, headers=outsider),
        await client.delete(base, headers=outsider),
        await client.get(f"/api/sessions/{docs.session_id}/documents", headers=outsider),
    ]

    assert [a.status for a in answers] == [403] * len(answers)
    detail = await (await client.get(base, headers=docs.delegate.headers)).json()
    assert detail["title"] == document["title"]


async def test_a_delegate_cannot_edit_replace_or_delete(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    base = f"/api/documents/{document['id']}"

    answers = [
        await client.patch(base, json={"title": "Đổi tên"}, headers=docs.delegate.headers),
        await client.post(f"{base}/versions", data=form(pdf_bytes(["Bản mới"])), headers=docs.delegate.headers),
        await client.delete(base, headers=docs.delegate.headers),
    ]

    assert [a.status for a in answers] == [403, 403, 403]


async def test_staff_edit_a_documents_title_kind_classification_and_agenda_item(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, agenda_item_id=docs.agenda_item_id)

    edited = await client.patch(
        f"/api/documents/{document['id']}",
        json={"title": "Báo cáo thẩm tra dự toán", "kind": "review_report", "classification": "public"},
        headers=docs.secretary.headers,
    )
    detached = await client.patch(
        f"/api/documents/{document['id']}", json={"agenda_item_id": None}, headers=docs.secretary.headers
    )

    assert edited.status == 200
    body = await edited.json()
    assert (body["title"], body["kind"], body["classification"]) == (
        "Báo cáo thẩm tra dự toán",
        "review_report",
        "public",
    )
    assert body["agenda_item_id"] == docs.agenda_item_id
    assert (await detached.json())["agenda_item_id"] is None


async def test_a_deleted_document_is_gone_for_readers_but_stays_in_the_record(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    response = await client.delete(f"/api/documents/{document['id']}", headers=docs.secretary.headers)

    assert response.status == 204
    await error_of(
        await client.get(f"/api/documents/{document['id']}", headers=docs.delegate.headers), 404, "not_found"
    )
    listed = await (
        await client.get(f"/api/sessions/{docs.session_id}/documents", headers=docs.delegate.headers)
    ).json()
    assert listed == []
    async with services_of(client.app).sessionmaker() as db:
        kept = await db.scalar(select(Document).where(Document.id == document["id"]))
    assert kept is not None and kept.deleted_at is not None
    assert len(stored_files(client)) == 1


async def test_once_the_session_opens_a_document_is_replaced_not_withdrawn(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    async with services_of(client.app).sessionmaker() as db:
        session = await db.get(CouncilSession, docs.session_id)
        assert session is not None
        session.status = SessionStatus.LIVE
        await db.commit()

    response = await client.delete(f"/api/documents/{document['id']}", headers=docs.secretary.headers)

    error = await error_of(response, 409, "conflict")
    assert "phiên bản mới" in error["message"]
    replaced = await client.post(
        f"/api/documents/{document['id']}/versions", data=form(pdf_bytes(["Bản sửa"])), headers=docs.secretary.headers
    )
    assert replaced.status == 201 and (await replaced.json())["version"] == 2


async def test_anonymous_callers_get_nothing_from_the_signed_in_routes(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, classification="public")

    for path in (f"/api/documents/{document['id']}", f"/api/documents/{document['id']}/pages/1?w=800"):
        await error_of(await client.get(path), 401, "unauthenticated")


async def test_a_sessions_documents_are_listed_in_agenda_order_with_loose_ones_last(
    client: TestClient, docs: DocWorld
) -> None:
    loose = await uploaded(client, docs.secretary, docs.session_id, title="Tài liệu tham khảo")
    on_agenda = await uploaded(client, docs.secretary, docs.session_id, agenda_item_id=docs.agenda_item_id)

    listed = await (
        await client.get(f"/api/sessions/{docs.session_id}/documents", headers=docs.delegate.headers)
    ).json()

    assert [d["id"] for d in listed] == [on_agenda["id"], loose["id"]]
