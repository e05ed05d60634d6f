"""Page images for tablets: the widths they use, WebP or PNG, cached with validators; restricted pages watermarked."""

from __future__ import annotations

import io

import pymupdf
import pytest
from aiohttp.test_utils import TestClient
from PIL import Image

from session_server.documents import workers
from session_server.documents.rendering import WIDTHS
from session_server.services import services_of
from tests.functional.api.checks import error_of
from tests.functional.documents.conftest import DocWorld, form, settle, uploaded
from tests.pdfs import many_pages_pdf_bytes, pdf_bytes

WEBP = {"Accept": "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"}
PNG_ONLY = {"Accept": "image/png,image/*;q=0.8"}


def _image(body: bytes) -> Image.Image:
    return Image.open(io.BytesIO(body))


def _red_pixels(image: Image.Image) -> int:
    """Pixels of the watermark's red; the test pages are black text on white."""
    data = image.convert("RGB").tobytes()
    return sum(
        1 for r, g, b in zip(data[0::3], data[1::3], data[2::3], strict=True) if r > 150 and min(r - g, r - b) > 40
    )


def _page_cache(client: TestClient, document_id: int) -> list[str]:
    root = services_of(client.app).settings.data_dir / "page-cache" / str(document_id)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.*")) if root.exists() else []


async def test_a_page_comes_as_webp_at_the_width_asked_for_when_the_browser_takes_webp(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    response = await client.get(
        f"/api/documents/{document['id']}/pages/2?w=800", headers={**docs.delegate.headers, **WEBP}
    )

    assert response.status == 200
    assert response.content_type == "image/webp"
    assert response.headers["Vary"] == "Accept"
    image = _image(await response.read())
    assert image.format == "WEBP"
    assert image.width == 800
    assert abs(image.height - 800 * 842 / 595) < 1


async def test_a_client_without_webp_gets_png(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    response = await client.get(
        f"/api/documents/{document['id']}/pages/1?w=320", headers={**docs.delegate.headers, **PNG_ONLY}
    )

    assert response.content_type == "image/png"
    assert _image(await response.read()).size[0] == 320


async def test_a_rendered_page_is_cached_on_disk_and_revalidated_with_its_entity_tag(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    await settle(client)
    url = f"/api/documents/{document['id']}/pages/3?w=1200"

    first = await client.get(url, headers={**docs.delegate.headers, **WEBP})
    again = await client.get(url, headers={**docs.delegate.headers, **WEBP, "If-None-Match": first.headers["ETag"]})
    other_format = await client.get(
        url, headers={**docs.delegate.headers, **PNG_ONLY, "If-None-Match": first.headers["ETag"]}
    )

    assert first.status == 200
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "1/1200/3.webp" in _page_cache(client, document["id"])
    assert again.status == 304
    assert await again.read() == b""
    assert other_format.status == 200 and other_format.headers["ETag"] != first.headers["ETag"]


async def test_the_first_pages_are_rendered_in_the_background_after_upload(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    await settle(client)

    assert _page_cache(client, document["id"]) == [
        f"1/{width}/{page}.webp" for width in (1600, 320) for page in (1, 2, 3)
    ]


async def test_page_one_of_each_version_is_cached_before_the_upload_is_answered(
    client: TestClient, docs: DocWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers.DocumentWorkers, "prerender", lambda *_args: None)

    document = await uploaded(client, docs.secretary, docs.session_id, data=many_pages_pdf_bytes(120))
    first_version = _page_cache(client, document["id"])
    replaced = await client.post(
        f"/api/documents/{document['id']}/versions",
        data=form(pdf_bytes(["Bản sửa đổi"])),
        headers=docs.secretary.headers,
    )

    assert first_version == ["1/1600/1.webp"]
    assert replaced.status == 201
    assert _page_cache(client, document["id"]) == ["2/1600/1.webp"]


async def test_every_page_is_rendered_in_the_background_up_to_the_limit(
    client: TestClient, docs: DocWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PRERENDER_PAGES", 12)
    document = await uploaded(client, docs.secretary, docs.session_id, data=many_pages_pdf_bytes(15))

    await settle(client)

    assert set(_page_cache(client, document["id"])) == {
        f"1/{width}/{page}.webp" for width in (1600, 320) for page in range(1, 13)
    }


async def test_a_page_asked_for_during_pre_rendering_does_not_wait_for_it(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, data=many_pages_pdf_bytes(120))

    response = await client.get(
        f"/api/documents/{document['id']}/pages/100?w=800", headers={**docs.delegate.headers, **WEBP}
    )

    assert response.status == 200
    assert "1/1600/120.webp" not in _page_cache(client, document["id"])


@pytest.mark.parametrize("width", ["500", "0", "-320", "abc", "1600.0", "9" * 5000])
async def test_a_width_outside_the_allowed_set_is_refused(client: TestClient, docs: DocWorld, width: str) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    response = await client.get(f"/api/documents/{document['id']}/pages/1?w={width}", headers=docs.delegate.headers)

    error = await error_of(response, 400, "invalid")
    assert error["message"] == f"Độ rộng ảnh trang phải là một trong: {', '.join(map(str, WIDTHS))}."


@pytest.mark.parametrize("page", ["0", "4", "99999999999", "x"])
async def test_a_page_out_of_range_is_not_found(client: TestClient, docs: DocWorld, page: str) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    response = await client.get(f"/api/documents/{document['id']}/pages/{page}?w=800", headers=docs.delegate.headers)

    error = await error_of(response, 404, "not_found")
    assert "có 3 trang" in error["message"]


async def test_a_pages_text_comes_with_word_boxes_for_selection(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)

    plain = await (
        await client.get(f"/api/documents/{document['id']}/pages/3/text", headers=docs.delegate.headers)
    ).json()
    boxed = await (
        await client.get(f"/api/documents/{document['id']}/pages/3/text?words=1", headers=docs.delegate.headers)
    ).json()

    assert plain["text"].startswith("Điều khoản thi hành: Nghị quyết ngân sách")
    assert plain["words"] is None
    assert (boxed["width"], boxed["height"]) == (595, 842)
    first = boxed["words"][0]
    assert first["text"] == "Điều"
    assert 0 < first["x0"] < first["x1"] < 595 and 0 < first["y0"] < first["y1"] < 842


async def test_a_restricted_page_carries_the_viewers_name_and_is_never_kept(client: TestClient, docs: DocWorld) -> None:
    internal = await uploaded(client, docs.secretary, docs.session_id, classification="internal")
    restricted = await uploaded(client, docs.secretary, docs.session_id, classification="restricted")
    await settle(client)
    url = f"/api/documents/{restricted['id']}/pages/1?w=800"

    for_delegate = await client.get(url, headers={**docs.delegate.headers, **PNG_ONLY})
    for_secretary = await client.get(url, headers={**docs.secretary.headers, **PNG_ONLY})
    plain = await client.get(
        f"/api/documents/{internal['id']}/pages/1?w=800", headers={**docs.delegate.headers, **PNG_ONLY}
    )

    assert for_delegate.status == 200
    assert for_delegate.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in for_delegate.headers
    delegate_image, secretary_image = _image(await for_delegate.read()), _image(await for_secretary.read())
    assert _red_pixels(delegate_image) > 500
    assert _red_pixels(_image(await plain.read())) == 0
    assert delegate_image.tobytes() != secretary_image.tobytes()
    assert _page_cache(client, restricted["id"]) == []


async def test_a_restricted_document_has_no_download(client: TestClient, docs: DocWorld) -> None:
    restricted = await uploaded(client, docs.secretary, docs.session_id, classification="restricted")

    listed = await (
        await client.get(f"/api/sessions/{docs.session_id}/documents", headers=docs.delegate.headers)
    ).json()
    response = await client.get(f"/api/documents/{restricted['id']}/file", headers=docs.delegate.headers)

    assert [d["downloadable"] for d in listed] == [False]
    error = await error_of(response, 403, "forbidden")
    assert error["message"] == (
        "Tài liệu hạn chế chỉ được xem dưới dạng ảnh trang trên hệ thống, không được tải về hay sao chép chữ."
    )


async def test_reclassifying_a_document_as_restricted_drops_its_unmarked_pages(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    await settle(client)
    assert _page_cache(client, document["id"])

    response = await client.patch(
        f"/api/documents/{document['id']}", json={"classification": "restricted"}, headers=docs.secretary.headers
    )

    assert response.status == 200
    assert _page_cache(client, document["id"]) == []
    page = await client.get(f"/api/documents/{document['id']}/pages/1?w=800", headers=docs.delegate.headers)
    assert page.headers["Cache-Control"] == "private, no-store"


async def test_reclassifying_a_document_as_restricted_stops_its_pre_rendering(
    client: TestClient, docs: DocWorld
) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id, data=many_pages_pdf_bytes(120))

    response = await client.patch(
        f"/api/documents/{document['id']}", json={"classification": "restricted"}, headers=docs.secretary.headers
    )
    await settle(client)

    assert response.status == 200
    assert _page_cache(client, document["id"]) == []


async def test_a_page_of_a_wide_page_keeps_its_proportions(client: TestClient, docs: DocWorld) -> None:
    with pymupdf.open() as doc:
        doc.new_page(width=842, height=595).insert_text((72, 72), "Bảng tổng hợp", fontname="helv")
        data = doc.tobytes()
    document = await uploaded(client, docs.secretary, docs.session_id, data=data)

    response = await client.get(
        f"/api/documents/{document['id']}/pages/1?w=1600", headers={**docs.delegate.headers, **WEBP}
    )

    width, height = _image(await response.read()).size
    assert width == 1600 and abs(height - 1600 * 595 / 842) < 1


async def test_a_new_version_is_what_tablets_see_next(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(client, docs.secretary, docs.session_id)
    url = f"/api/documents/{document['id']}/pages/1?w=320"
    before = await client.get(url, headers={**docs.delegate.headers, **PNG_ONLY})

    await client.post(
        f"/api/documents/{document['id']}/versions",
        data=form(pdf_bytes(["Bản mới, khác hẳn bản cũ " * 40])),
        headers=docs.secretary.headers,
    )
    after = await client.get(
        url, headers={**docs.delegate.headers, **PNG_ONLY, "If-None-Match": before.headers["ETag"]}
    )

    assert after.status == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert await after.read() != await before.read()
