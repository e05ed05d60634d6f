"""The public sees public documents of public sessions, reached by a QR code staff print; nothing else."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree

import pytest
from aiohttp.test_utils import TestClient
from PIL import Image
from sqlalchemy import update

from session_server.db.models import CouncilSession, SessionStatus
from session_server.documents.qr import qr_png
from session_server.services import services_of
from tests.functional.api.checks import error_of
from tests.functional.documents.conftest import DocWorld, uploaded


async def test_the_public_page_lists_only_the_public_documents_of_the_session(
    client: TestClient, docs: DocWorld
) -> None:
    public = await uploaded(
        client, docs.secretary, docs.session_id, classification="public", title="Tờ trình công khai"
    )
    await uploaded(client, docs.secretary, docs.session_id, classification="internal")
    await uploaded(client, docs.secretary, docs.session_id, classification="restricted")
    withdrawn = await uploaded(client, docs.secretary, docs.session_id, classification="public")
    await client.delete(f"/api/documents/{withdrawn['id']}", headers=docs.secretary.headers)

    response = await client.get(f"/api/public/sessions/{docs.session_id}/documents")

    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    listed = await response.json()
    assert [(d["id"], d["title"]) for d in listed] == [(public["id"], "Tờ trình công khai")]
    assert "classification" not in listed[0]


async def test_a_public_document_can_be_read_and_downloaded_without_signing_in(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, classification="public")

    page = await client.get(f"/api/public/documents/{document['id']}/pages/1?w=800", headers={"Accept": "image/webp"})
    file = await client.get(f"/api/public/documents/{document['id']}/file")

    assert page.status == 200 and page.content_type == "image/webp"
    assert page.headers["Cache-Control"] == "public, max-age=300"
    assert file.status == 200 and file.content_type == "application/pdf"
    assert (await file.read()).startswith(b"%PDF-")


@pytest.mark.parametrize("classification", ["internal", "restricted"])
async def test_the_public_never_sees_internal_or_restricted_documents(
    client: TestClient, docs: DocWorld, classification: str
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, classification=classification)

    for path in (
        f"/api/public/documents/{document['id']}/pages/1?w=800",
        f"/api/public/documents/{document['id']}/file",
    ):
        await error_of(await client.get(path), 404, "not_found")


async def test_nothing_of_a_closed_session_reaches_the_public(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.closed_session_id, classification="public")

    listing = await client.get(f"/api/public/sessions/{docs.closed_session_id}/documents")
    page = await client.get(f"/api/public/documents/{document['id']}/pages/1?w=800")
    qr = await client.get(f"/api/sessions/{docs.closed_session_id}/qr.png", headers=docs.secretary.headers)

    await error_of(listing, 404, "not_found")
    await error_of(page, 404, "not_found")
    await error_of(qr, 409, "closed")


async def test_a_draft_session_is_not_shown_yet_though_its_qr_code_can_be_printed_ahead(
    client: TestClient, docs: DocWorld
) -> None:
    await uploaded(client, docs.secretary, docs.session_id, classification="public")
    async with services_of(client.app).sessionmaker() as db:
        await db.execute(
            update(CouncilSession).where(CouncilSession.id == docs.session_id).values(status=SessionStatus.DRAFT)
        )
        await db.commit()

    await error_of(await client.get(f"/api/public/sessions/{docs.session_id}/documents"), 404, "not_found")
    printed_ahead = await client.get(f"/api/sessions/{docs.session_id}/qr.svg", headers=docs.secretary.headers)
    assert printed_ahead.status == 200


async def test_staff_print_a_qr_code_as_png_or_svg(client: TestClient, docs: DocWorld) -> None:
    png = await client.get(f"/api/sessions/{docs.session_id}/qr.png", headers=docs.secretary.headers)
    svg = await client.get(f"/api/sessions/{docs.session_id}/qr.svg", headers=docs.secretary.headers)

    assert png.status == 200 and png.content_type == "image/png"
    image = Image.open(io.BytesIO(await png.read()))
    assert image.format == "PNG" and image.width == image.height >= 210
    public_url = services_of(client.app).settings.effective_public_url
    assert await png.read() == qr_png(f"{public_url}/public/?session={docs.session_id}")
    assert svg.status == 200 and svg.content_type == "image/svg+xml"
    assert ElementTree.fromstring(await svg.read()).tag == "{http://www.w3.org/2000/svg}svg"
