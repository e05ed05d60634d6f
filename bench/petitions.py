"""Voter petitions at a province's scale, against the issue's targets, each beside a baseline of the same run.

1. List and search at 100,000 petitions, on SQLite and on PostgreSQL (HOPSO_TEST_POSTGRES_URL, an admin URL; the run
   creates and drops its own database): HopSo's `GET /api/councils/{id}/petitions` over HTTP with a mix of filters
   and diacritics-free searches, p50/p99, beside the bare SQL of the same page (one SELECT, no count, no answer).
   Target p99 ≤ 50 ms.
2. Importing a 10,000-row compilation workbook (title rows, headers, STT, dates as text): HopSo's preview (upload,
   read) and import step (check every row, store every row in one transaction) beside a bare openpyxl read-only loop
   over the same file, taking turns three times. Target ≤ 2×.
3. Duplicate suggestions for one new petition at 100,000: HopSo's `duplicates.suggest` (index narrowing, then
   RapidFuzz) p50/p99 over varied new texts, beside RapidFuzz alone over all 100,000 folded texts in memory.
   Target ≤ 100 ms.

The machine may be shared: the load average is printed with the figures.

    .venv/bin/python -m bench.petitions [--petitions 100000] [--rows 10000] [--queries 300] [--sqlite-only]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from openpyxl import Workbook, load_workbook
from rapidfuzz import fuzz, process
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url

from bench.documents import admin, load
from session_server.app import create_app
from session_server.auth import tokens
from session_server.auth.passwords import hash_password
from session_server.cli import managed_heap
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import upgrade
from session_server.db.models import Council, Role, User
from session_server.petitions.duplicates import suggest
from session_server.petitions.models import Agency, Channel, Level, Petition, PetitionStatus
from session_server.petitions.search import ListQuery, conditions, listing
from session_server.petitions.service import searchable
from session_server.settings import load_settings
from session_server.text import terms

TARGET_LIST_P99_MS = 50.0
TARGET_IMPORT_RATIO = 2.0
IMPORT_ROUNDS = 3
TARGET_DUPLICATES_P99_MS = 100.0
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Petitions are made of parts (what to do, to what, where, what is wrong, since when), so that 100,000 of them read
# like a province's years of compilations: common words everywhere, true duplicates rare.
ACTIONS = (
    "sửa chữa",
    "nâng cấp",
    "xây dựng mới",
    "mở rộng",
    "nạo vét",
    "cải tạo",
    "kiểm tra chất lượng",
    "bố trí kinh phí cho",
    "đẩy nhanh tiến độ thi công",
    "sớm bàn giao",
    "lắp đặt thêm",
    "di dời",
)
THINGS = (
    ("Giao thông", "tuyến đường liên thôn"),
    ("Giao thông", "cầu dân sinh"),
    ("Giao thông", "đường giao thông nội đồng"),
    ("Giao thông", "biển báo giảm tốc độ trước cổng trường"),
    ("Giao thông", "đường tránh quốc lộ"),
    ("Nông nghiệp", "kênh mương nội đồng"),
    ("Nông nghiệp", "trạm bơm tưới tiêu"),
    ("Nông nghiệp", "đê bao chống lũ"),
    ("Giáo dục", "phòng học trường mầm non"),
    ("Giáo dục", "nhà vệ sinh trường tiểu học"),
    ("Giáo dục", "bếp ăn bán trú trường trung học cơ sở"),
    ("Y tế", "trạm y tế xã"),
    ("Y tế", "phòng khám đa khoa khu vực"),
    ("Văn hóa, thể thao", "nhà văn hóa"),
    ("Văn hóa, thể thao", "sân thể thao"),
    ("Điện, nước", "hệ thống đèn chiếu sáng công cộng"),
    ("Điện, nước", "đường dây điện hạ thế"),
    ("Điện, nước", "trạm biến áp"),
    ("Điện, nước", "nhà máy nước sạch"),
    ("Môi trường", "bãi tập kết rác thải"),
    ("Môi trường", "cống thoát nước khu dân cư"),
    ("Môi trường", "khu xử lý nước thải chăn nuôi"),
    ("Đất đai", "khu tái định cư"),
    ("Đất đai", "nghĩa trang nhân dân"),
    ("Thương mại", "chợ"),
)
PROBLEMS = (
    "đã xuống cấp nghiêm trọng",
    "thường xuyên bị ngập khi mưa lớn",
    "gây ô nhiễm môi trường",
    "không bảo đảm an toàn cho học sinh",
    "thi công kéo dài nhiều năm",
    "bị hư hỏng sau bão",
    "quá tải vào giờ cao điểm",
    "chưa đáp ứng nhu cầu của người dân",
    "nứt vỡ, sụt lún",
    "thiếu kinh phí duy tu",
    "ảnh hưởng sản xuất của nhân dân",
    "gây bức xúc trong nhân dân",
)
POLICIES = (
    ("Đất đai", "sớm cấp giấy chứng nhận quyền sử dụng đất cho {n} hộ dân {p} đã nộp hồ sơ từ năm {y}"),
    ("Đất đai", "giải quyết dứt điểm tranh chấp đất đai giữa {p} và {q}"),
    ("Đất đai", "công khai quy hoạch sử dụng đất của {p} đến năm 2030"),
    ("Đất đai", "bồi thường thỏa đáng cho {n} hộ bị thu hồi đất làm dự án tại {p}"),
    ("Y tế", "cấp thẻ bảo hiểm y tế kịp thời cho người cao tuổi {p}"),
    ("An sinh xã hội", "hỗ trợ nhà ở cho {n} hộ cận nghèo {p}"),
    ("An sinh xã hội", "chi trả trợ cấp cho người có công {p} đúng hạn"),
    ("An sinh xã hội", "xem xét chế độ cho người khuyết tật {p} chưa được hưởng trợ cấp"),
    ("Nông nghiệp", "hỗ trợ giống cây trồng cho hộ nghèo {p} sau bão số {k}"),
    ("Nông nghiệp", "có chính sách bao tiêu sản phẩm nông sản cho nông dân {p}"),
    ("An ninh, trật tự", "tăng cường tuần tra, xử lý tình trạng trộm cắp tài sản tại {p}"),
    ("An ninh, trật tự", "xử lý xe quá tải chạy qua {p} làm hỏng đường"),
    ("Giáo dục", "bổ sung giáo viên tiếng Anh cho trường tiểu học {p}"),
    ("Cải cách hành chính", "rút ngắn thời gian giải quyết thủ tục hành chính tại bộ phận một cửa {p}"),
)
OPENERS = ("Cử tri {p} đề nghị", "Đề nghị", "Cử tri kiến nghị", "Nhiều cử tri phản ánh và đề nghị", "Đề nghị sớm")
NAMES = [
    "Đông",
    "Hòa",
    "Tây",
    "Sơn",
    "Nam",
    "Phú",
    "Bắc",
    "Hà",
    "Trung",
    "Lương",
    "Thượng",
    "Mỹ",
    "Hạ",
    "Long",
    "Phú",
    "Lộc",
    "An",
    "Bình",
    "Tân",
    "Hòa",
    "Kiến",
    "Minh",
    "Đồng",
    "Tâm",
    "Hòa",
    "Lạc",
    "Vĩnh",
    "Lợi",
    "Phú",
    "Xuân",
    "Cao",
    "Sơn",
    "Thanh",
    "Lâm",
    "Bình",
    "Minh",
    "Hưng",
    "Đạo",
    "Quang",
    "Trung",
    "Tiền",
    "Phong",
    "Đoàn",
    "Kết",
    "Thắng",
    "Lợi",
    "Hòa",
    "Bình",
    "Yên",
    "Thế",
    "Ninh",
    "Giang",
    "Cẩm",
    "Phả",
    "Gia",
    "Lộc",
    "Tứ",
    "Kỳ",
    "Kim",
    "Thành",
    "Thủy",
    "Nguyên",
    "Vĩnh",
    "Bảo",
    "Tiên",
    "Lãng",
    "An",
    "Lão",
    "Kiến",
    "Thụy",
    "Đồ",
    "Sơn",
    "Cát",
    "Hải",
    "Bạch",
    "Long",
]


def _place(rng: random.Random) -> str:
    kind = rng.choice(("thôn", "xóm", "tổ dân phố", "khu phố", "ấp", "bản"))
    name = rng.choice(NAMES) + " " + rng.choice(NAMES) if rng.random() < 0.5 else str(rng.randint(1, 40))
    return f"{kind} {name}"


def petition_text(rng: random.Random) -> tuple[str, str, str]:
    """(content, field, locality) of a believable petition."""
    place, other = _place(rng), _place(rng)
    opener = rng.choice(OPENERS).format(p=place)
    if rng.random() < 0.35:
        field, what = rng.choice(POLICIES)
        detail = what.format(p=place, q=other, n=rng.randint(3, 120), y=rng.randint(2012, 2025), k=rng.randint(1, 12))
    else:
        field, thing = rng.choice(THINGS)
        detail = f"{rng.choice(ACTIONS)} {thing} {place}, hiện {rng.choice(PROBLEMS)}"
    tail = rng.choice(("", f" Đã kiến nghị từ kỳ họp thứ {rng.randint(2, 12)}.", " Đề nghị trả lời cụ thể."))
    return f"{opener} {detail}.{tail}", field, place[0].upper() + place[1:]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def fill(url: str, count: int, seed: int = 7) -> tuple[int, str]:
    """A council with `count` petitions in all states and an office account; its id and a device token."""
    rng = random.Random(seed)
    engine = make_engine(url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db:
            council = Council(name="Hội đồng nhân dân tỉnh Đo Đạc", total_delegates=70, term="2026–2031")
            db.add(council)
            await db.flush()
            agencies = [Agency(council_id=council.id, name=f"Sở ngành số {n}", level=Level.PROVINCE) for n in range(20)]
            db.add_all(agencies)
            user = User(
                username="vanphong",
                display_name="Văn phòng",
                password_hash=hash_password("khong-dung-mat-khau"),
                role=Role.SECRETARY,
                council_id=council.id,
            )
            db.add(user)
            await db.flush()
            token = await tokens.issue(db, user, tokens.DEVICE, timedelta(days=1))
            await db.commit()
            statuses = list(PetitionStatus)
            start = date(2026, 1, 1)
            batch: list[dict[str, Any]] = []
            for n in range(count):
                content, field, locality = petition_text(rng)
                status = rng.choice(statuses)
                forwarded = status in (PetitionStatus.FORWARDED, PetitionStatus.ANSWERED, PetitionStatus.CLOSED)
                batch.append(
                    {
                        "council_id": council.id,
                        "content": content,
                        "folded": searchable(content, field, locality),
                        "field": field,
                        "locality": locality,
                        "channel": rng.choice(list(Channel)),
                        "level": Level.PROVINCE,
                        "agency_id": rng.choice(agencies).id if forwarded else None,
                        "deadline": start + timedelta(days=rng.randint(0, 500)) if forwarded else None,
                        "status": status,
                        "return_reason": "",
                        "voter_count": rng.randint(1, 40),
                        "term": "2026–2031",
                        "received_on": start + timedelta(days=n % 365),
                        "published": rng.random() < 0.5,
                        "rating_note": "",
                    }
                )
                if len(batch) == 5000:
                    await db.execute(insert(Petition), batch)
                    await db.commit()
                    batch = []
            if batch:
                await db.execute(insert(Petition), batch)
                await db.commit()
    finally:
        await engine.dispose()
    await settle(url)
    return council.id, token


async def settle(url: str) -> None:
    """What the database does by itself after a bulk load (autovacuum on PostgreSQL): statistics and, for counts
    from the index alone, the visibility map."""
    engine = make_engine(url, isolation_level="AUTOCOMMIT") if url.startswith("postgresql") else make_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(
                text("VACUUM ANALYZE petitions" if engine.dialect.name == "postgresql" else "ANALYZE")
            )
            await connection.commit()
    finally:
        await engine.dispose()


QUERIES = (
    "",
    "status=forwarded",
    "overdue=true",
    "field=Giao thông",
    "field=Y tế&locality=Thôn 5",
    "q=duong",
    "q=sua chua duong lien thon",
    "q=chieu sa",
    "q=bao hiem y te nguoi cao tuoi",
    "q=nuoc sach&status=answered",
    "page=20",
    "q=giong cay trong&page=2",
    "q=thon dong hoa",
)


async def list_latency(url: str, council_id: int, token: str, queries: int, data_dir: Path) -> dict[str, float]:
    """HopSo over HTTP, and the bare SELECT of the same page, each query of the mix in random order."""
    settings = load_settings(environ={}, data_dir=data_dir, database_url=url, secret_key="bench", rtmp_mode="off")
    app = create_app(settings)
    app.cleanup_ctx.append(managed_heap)  # as `hopso serve` starts
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    rng = random.Random(3)
    mix = [rng.choice(QUERIES) for _ in range(queries)]
    hopso: list[float] = []
    bare: list[float] = []
    engine = make_engine(url)
    try:
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
            base = str(server.make_url(f"/api/councils/{council_id}/petitions"))
            for query in QUERIES:
                async with http.get(f"{base}?{query}") as response:
                    assert response.status == 200, await response.text()
            for query in mix:
                started = time.perf_counter()
                async with http.get(f"{base}?{query}") as response:
                    await response.read()
                hopso.append((time.perf_counter() - started) * 1000)
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db:
            dialect = db.bind.dialect.name
            for query in mix:
                parsed = ListQuery.of(dict(part.split("=", 1) for part in query.split("&") if part))
                statement = listing(dialect, parsed, conditions(parsed, council_id, date(2026, 12, 7))).items
                started = time.perf_counter()
                (await db.execute(statement)).all()
                bare.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
        await server.close()
    return {
        "hopso_p50": statistics.median(hopso),
        "hopso_p99": pct(hopso, 0.99),
        "bare_p50": statistics.median(bare),
        "bare_p99": pct(bare, 0.99),
    }


async def duplicate_latency(url: str, council_id: int, tries: int) -> dict[str, float]:
    rng = random.Random(11)
    texts = [petition_text(rng)[0] for _ in range(tries)]
    engine = make_engine(url)
    hopso: list[float] = []
    brute: list[float] = []
    found = 0
    try:
        async with make_sessionmaker(engine)() as db:
            await suggest(db, council_id, texts[0])
            for content in texts:
                started = time.perf_counter()
                found += bool(await suggest(db, council_id, content))
                hopso.append((time.perf_counter() - started) * 1000)
                await db.rollback()
            corpus = list(
                await db.scalars(select(Petition.folded).where(Petition.council_id == council_id).order_by(Petition.id))
            )
        for content in texts[:10]:
            folded = " ".join(terms(content))
            started = time.perf_counter()
            process.extract(folded, corpus, scorer=fuzz.token_set_ratio, limit=5, score_cutoff=70)
            brute.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return {
        "hopso_p50": statistics.median(hopso),
        "hopso_p99": pct(hopso, 0.99),
        "brute_p50": statistics.median(brute),
        "with_suggestions": found / len(texts),
    }


def workbook_bytes(rows: int) -> bytes:
    """An office-style compilation sheet: title rows, a header row, STT, dates as text."""
    rng = random.Random(5)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tổng hợp")
    sheet.append(["HỘI ĐỒNG NHÂN DÂN TỈNH ĐO ĐẠC"])
    sheet.append(["BẢNG TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỬ TRI"])
    sheet.append([])
    sheet.append(
        ["STT", "Nội dung ý kiến, kiến nghị", "Cử tri kiến nghị", "Địa bàn", "Lĩnh vực", "Ngày tiếp xúc", "Số cử tri"]
    )
    for n in range(1, rows + 1):
        content, field, locality = petition_text(rng)
        sheet.append([n, content, f"Ông Nguyễn Văn {n}", locality, field, f"{n % 28 + 1:02d}/11/2026", n % 30 + 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bare_openpyxl(data: bytes) -> float:
    started = time.perf_counter()
    book = load_workbook(io.BytesIO(data), read_only=True)
    for _row in book.worksheets[0].iter_rows(values_only=True):
        pass
    book.close()
    return time.perf_counter() - started


async def import_time(
    url: str, council_id: int, token: str, rows: int, data_dir: Path, rounds: int = IMPORT_ROUNDS
) -> dict[str, Any]:
    """The bare loop and HopSo's preview and import take turns, `rounds` times, so that the machine's speed at any
    moment hits both alike; the figures are the rounds' medians, with each round's ratio."""
    data = workbook_bytes(rows)
    settings = load_settings(environ={}, data_dir=data_dir, database_url=url, secret_key="bench", rtmp_mode="off")
    app = create_app(settings)
    app.cleanup_ctx.append(managed_heap)  # as `hopso serve` starts
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    turns: list[dict[str, float]] = []
    try:
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
            base = str(server.make_url(f"/api/councils/{council_id}/petitions/import"))
            for _ in range(rounds):
                bare = bare_openpyxl(data)
                started = time.perf_counter()
                async with http.post(f"{base}/preview", data=data, headers={"Content-Type": XLSX}) as response:
                    preview = await response.json()
                    assert response.status == 200, preview
                preview_seconds = time.perf_counter() - started
                mapping = {c["letter"]: c["target"] for c in preview["columns"]}
                started = time.perf_counter()
                async with http.post(base, json={"token": preview["token"], "mapping": mapping}) as response:
                    result = await response.json()
                    assert response.status == 201 and result["created"] == rows, result
                turns.append({"bare": bare, "preview": preview_seconds, "import": time.perf_counter() - started})
    finally:
        await server.close()
    median = {key: statistics.median(turn[key] for turn in turns) for key in ("bare", "preview", "import")}
    ratios = [(turn["preview"] + turn["import"]) / turn["bare"] for turn in turns]
    return {**median, "ratio": statistics.median(ratios), "ratios": ratios, "bytes": len(data)}


def report(name: str, lists: dict[str, float], dups: dict[str, float]) -> None:
    ok = "OK" if lists["hopso_p99"] <= TARGET_LIST_P99_MS else "OVER TARGET"
    print(
        f"{name}: list/search  HopSo HTTP p50 {lists['hopso_p50']:.1f} ms, p99 {lists['hopso_p99']:.1f} ms  |  "
        f"bare SELECT p50 {lists['bare_p50']:.1f} ms, p99 {lists['bare_p99']:.1f} ms  |  "
        f"ratio p99 {lists['hopso_p99'] / max(lists['bare_p99'], 0.01):.1f}×  |  target p99 ≤ {TARGET_LIST_P99_MS:.0f} ms {ok}"
    )
    ok = "OK" if dups["hopso_p99"] <= TARGET_DUPLICATES_P99_MS else "OVER TARGET"
    print(
        f"{name}: duplicates   HopSo p50 {dups['hopso_p50']:.1f} ms, p99 {dups['hopso_p99']:.1f} ms "
        f"({dups['with_suggestions']:.0%} of new texts got suggestions)  |  RapidFuzz over all texts p50 "
        f"{dups['brute_p50']:.1f} ms  |  ratio p50 {dups['hopso_p50'] / max(dups['brute_p50'], 0.01):.2f}×  |  "
        f"target p99 ≤ {TARGET_DUPLICATES_P99_MS:.0f} ms {ok}"
    )


async def run_backend(
    name: str, url: str, args: argparse.Namespace, folder: Path
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    upgrade(url)
    started = time.perf_counter()
    council_id, token = await fill(url, args.petitions)
    print(f"{name}: {args.petitions} petitions stored in {time.perf_counter() - started:.1f} s ({load()})")
    lists = await list_latency(url, council_id, token, args.queries, folder / f"{name}-data")
    dups = await duplicate_latency(url, council_id, args.tries)
    report(name, lists, dups)
    imported = await import_time(url, council_id, token, args.rows, folder / f"{name}-data")
    whole = imported["preview"] + imported["import"]
    ok = "OK" if imported["ratio"] <= TARGET_IMPORT_RATIO else "OVER TARGET"
    print(
        f"{name}: import of {args.rows} rows ({imported['bytes'] / 1e6:.1f} MB), medians of {IMPORT_ROUNDS} turns  "
        f"HopSo preview (upload, read, find the headers) {imported['preview']:.2f} s + import (check every row, store "
        f"all in one transaction) {imported['import']:.2f} s = {whole:.2f} s  |  bare openpyxl read-only loop "
        f"{imported['bare']:.2f} s  |  ratio {imported['ratio']:.2f}× (by turn "
        f"{', '.join(f'{r:.2f}×' for r in imported['ratios'])})  |  target ≤ {TARGET_IMPORT_RATIO:.0f}× {ok}"
    )
    return lists, dups, imported


async def with_postgres(admin_url: str, work: Callable[[str], Awaitable[None]]) -> None:
    name = f"hopso_bench_{uuid.uuid4().hex[:8]}"
    await admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        await work(make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    finally:
        await admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--petitions", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, {load()}")
    with tempfile.TemporaryDirectory(prefix="hopso-bench-petitions-") as tmp:
        folder = Path(tmp)
        await run_backend("SQLite", f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}", args, folder)
        admin = os.environ.get("HOPSO_TEST_POSTGRES_URL", "")
        if args.sqlite_only or not admin:
            print("PostgreSQL: skipped (set HOPSO_TEST_POSTGRES_URL to an admin URL)")
            return

        async def on_postgres(url: str) -> None:
            await run_backend("PostgreSQL", url, args, folder)

        await with_postgres(admin, on_postgres)
    print(load())


if __name__ == "__main__":
    asyncio.run(main())
