"""Delegates' private notes on pages: kept with the session, read and changed by their author only."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.factories import Account
from tests.functional.api.checks import error_of
from tests.functional.documents.conftest import DocWorld, uploaded

STROKE = {"color": "#1565c0", "width": 3, "points": [[0.1, 0.2], [0.15, 0.22], [0.2, 0.25]]}


async def _note(client: TestClient, account: Account, document_id: int, **body: Any) -> dict[str, Any]:
    response = await client.post(f"/api/documents/{document_id}/notes", json=body, headers=account.headers)
    assert response.status == 201, await response.text()
    return await response.json()


async def test_a_delegate_keeps_a_note_with_ink_on_a_page(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    note = await _note(client, docs.delegate, document["id"], page=2, text="Hỏi về vốn đầu tư công", ink=[STROKE])

    assert (note["page"], note["version"], note["session_id"]) == (2, 1, docs.session_id)
    assert note["ink"] == [{"color": "#1565c0", "width": 3.0, "points": [[0.1, 0.2], [0.15, 0.22], [0.2, 0.25]]}]
    listed = await (await client.get(f"/api/documents/{document['id']}/notes", headers=docs.delegate.headers)).json()
    in_session = await (
        await client.get(f"/api/sessions/{docs.session_id}/notes", headers=docs.delegate.headers)
    ).json()
    assert [n["text"] for n in listed] == [n["text"] for n in in_session] == ["Hỏi về vốn đầu tư công"]


async def test_notes_are_visible_only_to_their_author(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    note = await _note(client, docs.delegate, document["id"], page=1, text="Ý kiến riêng")

    staff_view = await (
        await client.get(f"/api/documents/{document['id']}/notes", headers=docs.secretary.headers)
    ).json()
    admin_view = await (
        await client.get(f"/api/sessions/{docs.session_id}/notes", headers=docs.world.admin.headers)
    ).json()
    edit = await client.patch(f"/api/notes/{note['id']}", json={"text": "Sửa"}, headers=docs.secretary.headers)
    delete = await client.delete(f"/api/notes/{note['id']}", headers=docs.world.admin.headers)

    assert staff_view == [] and admin_view == []
    await error_of(edit, 404, "not_found")
    await error_of(delete, 404, "not_found")


async def test_the_author_edits_and_deletes_a_note(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    note = await _note(client, docs.delegate, document["id"], page=1, text="Bản nháp")

    edited = await client.patch(f"/api/notes/{note['id']}", json={"text": "Bản sửa"}, headers=docs.delegate.headers)
    deleted = await client.delete(f"/api/notes/{note['id']}", headers=docs.delegate.headers)

    assert (await edited.json())["text"] == "Bản sửa"
    assert deleted.status == 204
    assert (
        await (await client.get(f"/api/documents/{document['id']}/notes", headers=docs.delegate.headers)).json() == []
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        pytest.param({"page": 4, "text": "Trang không có"}, 404, "not_found", id="page-out-of-range"),
        pytest.param({"page": 0, "text": "Trang số không"}, 400, "invalid", id="page-zero"),
        pytest.param({"page": 1, "text": ""}, 400, "invalid", id="empty"),
        pytest.param({"page": 1, "ink": [{**STROKE, "points": [[1.5, 0.2]]}]}, 400, "invalid", id="ink-off-page"),
        pytest.param({"page": 1, "ink": [{**STROKE, "color": "red"}]}, 400, "invalid", id="ink-color"),
    ],
)
async def test_a_bad_note_is_refused(
    client: TestClient, docs: DocWorld, body: dict[str, Any], status: int, code: str
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    response = await client.post(f"/api/documents/{document['id']}/notes", json=body, headers=docs.delegate.headers)

    await error_of(response, status, code)
    assert (
        await (await client.get(f"/api/documents/{document['id']}/notes", headers=docs.delegate.headers)).json() == []
    )


async def test_notes_of_another_councils_document_cannot_be_written(client: TestClient, docs: DocWorld) -> None:
    theirs = await uploaded(client, docs.world.other_secretary, docs.other_session_id)

    response = await client.post(
        f"/api/documents/{theirs['id']}/notes", json={"page": 1, "text": "x"}, headers=docs.delegate.headers
    )

    await error_of(response, 403, "forbidden")
