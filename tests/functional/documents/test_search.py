"""Search across a council's documents finds Vietnamese words typed without diacritics, the same on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from session_server.db.engine import make_engine
from session_server.db.models import Classification
from session_server.documents.search import statement
from tests.factories import Account
from tests.functional.api.checks import error_of
from tests.functional.documents.conftest import BUDGET_PAGES, DocWorld, form, uploaded
from tests.pdfs import pdf_bytes

LAND_PAGES = ["Báo cáo thẩm tra về quy hoạch sử dụng đất", "Đất nông nghiệp chuyển sang đất ở: 12 héc-ta."]


async def _search(client: TestClient, account: Account, council_id: int, q: str, **params: Any) -> dict[str, Any]:
    response = await client.get(
        f"/api/councils/{council_id}/documents/search", params={"q": q, **params}, headers=account.headers
    )
    assert response.status == 200, await response.text()
    return await response.json()


def _pages(found: dict[str, Any]) -> list[tuple[int, int]]:
    return sorted((hit["document_id"], hit["page"]) for hit in found["hits"])


@pytest.mark.parametrize(
    "query",
    ["nghi quyet ngan sach", "NGHỊ QUYẾT ngân sách", "Nghi Quyet, ngan-sach!", "nghị quyết ngân sa"],
)
async def test_words_typed_without_diacritics_find_the_vietnamese_text(
    client: TestClient, docs: DocWorld, query: str
) -> None:
    budget = await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES))
    await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(LAND_PAGES), title="Quy hoạch đất")

    found = await _search(client, docs.delegate, docs.world.council.id, query)

    assert _pages(found) == [(budget["id"], 2), (budget["id"], 3)]
    hit = found["hits"][0]
    assert hit["title"] == "Tờ trình dự toán ngân sách 2027"
    assert hit["session_id"] == docs.session_id and hit["session_title"] == "Kỳ họp thứ Mười"


async def test_d_with_stroke_folds_to_d(client: TestClient, docs: DocWorld) -> None:
    land = await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(LAND_PAGES))

    found = await _search(client, docs.delegate, docs.world.council.id, "dat nong nghiep")

    assert _pages(found) == [(land["id"], 2)]


async def test_every_word_must_be_on_the_page(client: TestClient, docs: DocWorld) -> None:
    budget = await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES))

    both = await _search(client, docs.delegate, docs.world.council.id, "ngan sach")
    narrowed = await _search(client, docs.delegate, docs.world.council.id, "ngan sach giao thong")
    absent = await _search(client, docs.delegate, docs.world.council.id, "ngan sach bau cu")

    assert _pages(both) == [(budget["id"], 1), (budget["id"], 2), (budget["id"], 3)]
    assert _pages(narrowed) == [(budget["id"], 2)]
    assert absent["hits"] == []


async def test_a_snippet_shows_the_original_text_with_the_matches_marked(client: TestClient, docs: DocWorld) -> None:
    await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES))

    hit = (await _search(client, docs.delegate, docs.world.council.id, "dau tu cong"))["hits"][0]

    assert hit["page"] == 2
    assert "Đầu tư công cho đường giao thông nông thôn." in hit["snippet"]
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["Đầu", "tư", "công"]


async def test_only_the_current_version_is_searched(client: TestClient, docs: DocWorld) -> None:
    budget = await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES))
    await client.post(
        f"/api/documents/{budget['id']}/versions",
        data=form(pdf_bytes(["Dự toán điều chỉnh: kinh phí chuyển đổi số"])),
        headers=docs.secretary.headers,
    )

    old_words = await _search(client, docs.delegate, docs.world.council.id, "giao thong nong thon")
    new_words = await _search(client, docs.delegate, docs.world.council.id, "chuyen doi so")

    assert old_words["hits"] == []
    assert _pages(new_words) == [(budget["id"], 1)]


async def test_a_withdrawn_document_leaves_the_search(client: TestClient, docs: DocWorld) -> None:
    budget = await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES))

    deleted = await client.delete(f"/api/documents/{budget['id']}", headers=docs.secretary.headers)

    assert deleted.status == 204
    assert (await _search(client, docs.delegate, docs.world.council.id, "ngan sach"))["hits"] == []


async def test_search_stays_within_the_callers_council(client: TestClient, docs: DocWorld) -> None:
    await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES))
    theirs = await uploaded(client, docs.world.other_secretary, docs.other_session_id, data=pdf_bytes(BUDGET_PAGES))

    own_council = await _search(client, docs.world.other_secretary, docs.world.other_council.id, "ngan sach")
    other_council = await client.get(
        f"/api/councils/{docs.world.council.id}/documents/search",
        params={"q": "ngan sach"},
        headers=docs.world.other_secretary.headers,
    )

    assert {hit["document_id"] for hit in own_council["hits"]} == {theirs["id"]}
    await error_of(other_council, 403, "forbidden")


async def test_search_can_be_narrowed_to_one_session_and_limited(client: TestClient, docs: DocWorld) -> None:
    open_doc = await uploaded(client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES))
    closed_doc = await uploaded(client, docs.secretary, docs.closed_session_id, data=pdf_bytes(BUDGET_PAGES))

    everywhere = await _search(client, docs.delegate, docs.world.council.id, "ngan sach")
    one_session = await _search(client, docs.delegate, docs.world.council.id, "ngan sach", session_id=docs.session_id)
    limited = await _search(client, docs.delegate, docs.world.council.id, "ngan sach", limit=2)

    assert {hit["document_id"] for hit in everywhere["hits"]} == {open_doc["id"], closed_doc["id"]}
    assert {hit["document_id"] for hit in one_session["hits"]} == {open_doc["id"]}
    assert len(limited["hits"]) == 2


async def test_delegates_find_internal_and_restricted_documents_of_their_council(
    client: TestClient, docs: DocWorld
) -> None:
    internal = await uploaded(client, docs.secretary, docs.session_id, classification="internal")
    restricted = await uploaded(client, docs.secretary, docs.session_id, classification="restricted")

    found = await _search(client, docs.delegate, docs.world.council.id, "nghi quyet")

    assert {hit["document_id"] for hit in found["hits"]} == {internal["id"], restricted["id"]}
    assert {hit["classification"] for hit in found["hits"]} == {"internal", "restricted"}


@pytest.mark.parametrize("query", ["", "   ", "?!…", "—"])
async def test_a_query_without_words_is_refused(client: TestClient, docs: DocWorld, query: str) -> None:
    response = await client.get(
        f"/api/councils/{docs.world.council.id}/documents/search", params={"q": query}, headers=docs.delegate.headers
    )

    error = await error_of(response, 400, "invalid")
    assert error["details"] == [{"field": "q", "problem": "no words"}]


async def test_search_words_that_are_fts_operators_are_searched_as_words(client: TestClient, docs: DocWorld) -> None:
    document = await uploaded(
        client, docs.secretary, docs.session_id, data=pdf_bytes(['Ý kiến: NOT và OR, NEAR cũng là chữ "thường"'])
    )

    found = await _search(client, docs.delegate, docs.world.council.id, 'not or near "thuong')

    assert _pages(found) == [(document["id"], 1)]


async def test_on_postgresql_the_search_can_read_the_gin_index_of_the_pages(postgres_database: str) -> None:
    engine = make_engine(postgres_database)
    try:
        async with engine.connect() as connection:
            # With every other way to the pages priced out (reading them all, or by version in a nested loop), the
            # planner takes the GIN index whenever the search's condition can use it.
            for setting in ("enable_seqscan", "enable_indexscan", "enable_nestloop"):
                await connection.exec_driver_sql(f"SET {setting} = off")
            search = statement("postgresql", ["nghi", "quyet", "ngan", "sa"], 1, list(Classification), None, 20)
            sql = search.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
            plan = "\n".join((await connection.exec_driver_sql(f"EXPLAIN {sql}")).scalars())
    finally:
        await engine.dispose()

    assert "ix_document_pages_folded_fts" in plan


async def test_a_restricted_document_gives_no_text_by_any_route(client: TestClient, docs: DocWorld) -> None:
    """Its pages are read as watermarked images only: the text route and the search's snippets show none of it."""
    restricted = await uploaded(
        client, docs.secretary, docs.session_id, data=pdf_bytes(BUDGET_PAGES), classification="restricted"
    )
    page_text = f"/api/documents/{restricted['id']}/pages/2/text"

    refusals = [await client.get(path, headers=docs.delegate.headers) for path in (page_text, f"{page_text}?words=1")]
    found = await _search(client, docs.delegate, docs.world.council.id, "dau tu cong")

    for refusal in refusals:
        error = await error_of(refusal, 403, "forbidden")
        assert "không được tải về hay sao chép chữ" in error["message"]
    assert [(hit["document_id"], hit["page"], hit["snippet"], hit["highlights"]) for hit in found["hits"]] == [
        (restricted["id"], 2, "", [])
    ]
