"""Documents: render throughput at tablet width, upload → first page, and search, against the issue's targets.

In one run, for a 100-page text PDF (Vietnamese, Noto) and a 20-page scanned PDF (full-page 200 dpi images):
`pdftoppm -png -scale-to-x 1600 -scale-to-y -1`, a bare single-process PyMuPDF loop (render and encode, as PNG and
as the WebP HopSo gives tablets), and HopSo's pipeline: `hopso serve` on loopback, the PDF uploaded over HTTP, timed
until every page at 1600 px is in the page cache. Then upload → first page (upload start until GET page 1 at
w=1600 answers 200) for the 100-page PDF, and search p99 over 2,000 pages on SQLite and on PostgreSQL
(HOPSO_TEST_POSTGRES_URL, an admin URL; the run creates and drops its own database).

The machine may be shared: the load average is printed with the figures, and CPU seconds next to wall seconds.

    .venv/bin/python -m bench.documents [--text-pages 100] [--scan-pages 20] [--rounds 2] [--queries 300]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import multiprocessing
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import asyncpg
import pymupdf
from PIL import Image
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from session_server.auth import tokens
from session_server.auth.passwords import hash_password
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import upgrade
from session_server.db.models import (
    Classification,
    Council,
    CouncilSession,
    Document,
    DocumentPage,
    DocumentVersion,
    Role,
    SessionStatus,
    User,
)
from session_server.documents import pdf
from session_server.documents.pdf import ImageFormat
from session_server.documents.workers import PRERENDER_FORMAT
from session_server.text import index_form, terms

WIDTH = 1600
SCAN_DPI = 200
WEBP_ACCEPT = {"Accept": "image/webp,image/*;q=0.8"}
TARGET_VS_BARE = 1.6
TARGET_VS_PDFTOPPM = 9.0
TARGET_FIRST_PAGE_MS = 300.0
TARGET_SEARCH_P99_MS = 50.0
SEARCH_DOCUMENTS = 20
SEARCH_PAGES = 100
PARAGRAPH = (
    "Căn cứ Luật Tổ chức chính quyền địa phương và Luật Ngân sách nhà nước, Ủy ban nhân dân xã trình Hội đồng "
    "nhân dân xã xem xét, quyết định dự toán thu ngân sách nhà nước trên địa bàn, thu, chi ngân sách địa phương "
    "và phương án phân bổ ngân sách năm 2027; đầu tư công cho giao thông nông thôn, trường học và trạm y tế. "
)
SENTENCES = [
    "Ủy ban nhân dân xã trình Hội đồng nhân dân xem xét dự toán thu chi ngân sách năm 2027.",
    "Kinh phí sửa chữa đường giao thông nông thôn thôn Đông được bố trí từ nguồn vốn đầu tư công.",
    "Trường mầm non Hoa Sen cần thêm phòng học và nhà vệ sinh cho học sinh.",
    "Trạm y tế xã đề nghị bổ sung thuốc thiết yếu và trang thiết bị khám chữa bệnh.",
    "Kế hoạch phòng chống thiên tai, lụt bão và tìm kiếm cứu nạn mùa mưa năm nay.",
    "Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2026 đến 2030.",
    "Hỗ trợ hộ nghèo, hộ cận nghèo và gia đình chính sách theo quy định hiện hành.",
    "Cử tri phản ánh tình trạng ô nhiễm môi trường tại khu chăn nuôi tập trung.",
    "Quy hoạch sử dụng đất và chuyển mục đích đất trồng lúa sang đất ở nông thôn.",
    "Thu tiền sử dụng đất vượt dự toán nhờ đấu giá quyền sử dụng đất khu dân cư mới.",
    "Chi thường xuyên cho sự nghiệp giáo dục, đào tạo và dạy nghề tăng so với năm trước.",
    "Đại biểu chất vấn về tiến độ giải phóng mặt bằng dự án nâng cấp đê sông Hồng.",
    "Công tác cải cách hành chính, chuyển đổi số và dịch vụ công trực tuyến mức độ toàn trình.",
    "Bảo đảm an ninh trật tự, phòng chống tội phạm và tệ nạn xã hội trên địa bàn xã.",
    "Nước sạch nông thôn: nhà máy nước liên xã cấp nước cho ba nghìn hộ dân.",
    "Thẩm tra của Ban Kinh tế - Ngân sách về báo cáo quyết toán ngân sách năm 2025.",
    "Hội đồng nhân dân biểu quyết thông qua nghị quyết với đa số đại biểu tán thành.",
    "Xây dựng nhà văn hóa thôn, sân thể thao và điểm vui chơi cho trẻ em.",
    "Chính sách khuyến khích phát triển hợp tác xã, trang trại và sản phẩm OCOP.",
    "Điện chiếu sáng công cộng trên các tuyến đường liên thôn được lắp đặt mới.",
    "Tiếp công dân, giải quyết khiếu nại, tố cáo và kiến nghị của cử tri đúng hạn.",
    "Phân bổ vốn sự nghiệp môi trường cho thu gom, xử lý rác thải sinh hoạt.",
    "Bảo hiểm y tế cho người cao tuổi, trẻ em dưới sáu tuổi và người khuyết tật.",
    "Kiên cố hóa kênh mương nội đồng phục vụ tưới tiêu cho vụ Đông Xuân.",
]


@dataclass
class Row:
    name: str
    seconds: float
    cpu_seconds: float
    pages: int
    output_bytes: int


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


# The documents


def make_text_document(path: Path, pages: int) -> None:
    """Pages like a council's: a heading, justified Vietnamese paragraphs, a table with ruled lines, a bar chart."""
    font = pymupdf.Font("notos")
    with pymupdf.open() as doc:
        for number in range(1, pages + 1):
            page = doc.new_page(width=pymupdf.paper_rect("a4").width, height=pymupdf.paper_rect("a4").height)
            writer = pymupdf.TextWriter(page.rect)
            writer.append((56, 60), f"DỰ TOÁN NGÂN SÁCH NĂM 2027 — Trang {number}/{pages}", font=font, fontsize=13)
            writer.fill_textbox(pymupdf.Rect(56, 80, 539, 420), PARAGRAPH * 5, font=font, fontsize=10.5, align=3)
            for row in range(8):
                y = 440 + row * 22
                page.draw_line((56, y), (539, y), color=(0.3, 0.3, 0.3), width=0.5)
                writer.append((60, y + 15), f"Mục {row + 1}: chi thường xuyên", font=font, fontsize=9)
                writer.append(
                    (420, y + 15), f"{(number * 37 + row * 113) % 997:>5},{row}0 triệu đồng", font=font, fontsize=9
                )
            for bar in range(10):
                height = 20 + (number * 7 + bar * 13) % 90
                page.draw_rect(
                    pymupdf.Rect(70 + bar * 45, 790 - height, 100 + bar * 45, 790), color=None, fill=(0.2, 0.4, 0.7)
                )
            writer.write_text(page)
        doc.save(path, garbage=3, deflate=True)


def make_scanned_document(path: Path, text_pdf: Path, pages: int) -> None:
    """What a scanner makes: each page one gray JPEG at 200 dpi, slightly skewed, with sensor noise."""
    with pymupdf.open(text_pdf) as source, pymupdf.open() as doc:
        for number in range(pages):
            original = source[number % source.page_count]
            pixmap = original.get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY)
            scan = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
            scan = scan.rotate(0.4, Image.Resampling.BICUBIC, fillcolor=255)
            scan = Image.blend(scan, Image.effect_noise(scan.size, 40), 0.12)
            jpeg = io.BytesIO()
            scan.save(jpeg, "JPEG", quality=75)
            page = doc.new_page(width=original.rect.width, height=original.rect.height)
            page.insert_image(page.rect, stream=jpeg.getvalue())
        doc.save(path)


# The baselines


def bare_loop(path: str, fmt: ImageFormat) -> tuple[float, float, int]:
    """In a fresh process: open the file once, then render and encode every page, one after the other."""
    started, cpu = time.perf_counter(), time.process_time()
    total = 0
    with pymupdf.open(path) as doc:
        for page in doc:
            zoom = WIDTH / page.rect.width
            total += len(pdf.encode(page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False), fmt))
    return time.perf_counter() - started, time.process_time() - cpu, total


def bare(path: Path, pages: int, fmt: ImageFormat) -> Row:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as worker:
        worker.submit(pdf.clean_text, "").result()  # the interpreter and PyMuPDF are loaded before the clock starts
        seconds, cpu, total = worker.submit(bare_loop, str(path), fmt).result()
    return Row(f"bare PyMuPDF loop, 1 process, {fmt.value.upper()}", seconds, cpu, pages, total)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pdftoppm(path: Path, pages: int, out: Path) -> Row | None:
    binary = shutil.which("pdftoppm")
    if binary is None:
        return None
    out.mkdir()
    cpu = children_cpu()
    started = time.perf_counter()
    subprocess.run(
        [binary, "-png", "-scale-to-x", str(WIDTH), "-scale-to-y", "-1", str(path), str(out / "page")], check=True
    )
    seconds = time.perf_counter() - started
    total = sum(f.stat().st_size for f in out.iterdir())
    shutil.rmtree(out)
    return Row("pdftoppm -png (poppler), 1 process", seconds, children_cpu() - cpu, pages, total)


# HopSo's server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by a process and its descendants (the fork server and the workers), from /proc."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    wanted = {root}
    while grown := {pid for pid, parent in parents.items() if parent in wanted} - wanted:
        wanted |= grown
    return sum(ticks.get(pid, 0) for pid in wanted) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    base: str
    pid: int
    data_dir: Path
    council_id: int
    session_id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def prepare_database(url: str) -> tuple[int, int, str]:
    """A council, a session and a secretary's device token."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as db:
            council = Council(name="Hội đồng nhân dân xã Đo Đạc", total_delegates=35)
            db.add(council)
            await db.flush()
            session = CouncilSession(council_id=council.id, title="Kỳ họp thứ Mười", status=SessionStatus.SCHEDULED)
            user = User(
                username="thuky",
                display_name="Thư ký",
                password_hash=hash_password("mat-khau-do-dac"),
                role=Role.SECRETARY,
                council_id=council.id,
            )
            db.add_all([session, user])
            await db.flush()
            token = await tokens.issue(db, user, tokens.DEVICE, timedelta(hours=1))
            await db.commit()
            return council.id, session.id, token
    finally:
        await engine.dispose()


@contextmanager
def hopso_serve(folder: Path, url: str, seed: Callable[[str, int, int], None] | None = None) -> Iterator[Server]:
    """`hopso serve` as a child process on a migrated database, up and answering."""
    folder.mkdir()
    upgrade(url)
    council_id, session_id, token = asyncio.run(prepare_database(url))
    if seed is not None:
        seed(url, council_id, session_id)
    port = free_port()
    env = {
        **os.environ,
        "HOPSO_DATA_DIR": str(folder),
        "HOPSO_DATABASE_URL": url,
        "HOPSO_PORT": str(port),
        "HOPSO_SECRET_KEY": "bench-secret",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_LOG_LEVEL": "warning",
    }
    server = subprocess.Popen(
        [sys.executable, "-c", "from session_server.cli import main; main()", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(wait_until_up(base))
        yield Server(base, server.pid, folder, council_id, session_id, token)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


async def wait_until_up(base: str) -> None:
    async with aiohttp.ClientSession(base) as client:
        for _ in range(300):
            try:
                async with client.get("/healthz") as health:
                    if health.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("hopso serve did not come up")


@dataclass
class Pipeline:
    row: Row
    first_page_ms: float


def listing(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except FileNotFoundError:
        return set()


async def pipeline(server: Server, path: Path, data: bytes, pages: int, name: str) -> Pipeline:
    """Upload over HTTP, ask for page 1 as a tablet does, and wait until every page at 1600 px is in the cache."""
    async with aiohttp.ClientSession(server.base) as client:
        async with client.get("/healthz") as health:  # the connection is open before the clock starts
            await health.read()
        cpu = tree_cpu(server.pid)
        started = time.perf_counter()
        form = aiohttp.FormData({"title": path.stem, "not_state_secret": "true"})
        form.add_field("file", data, filename=path.name, content_type="application/pdf")
        async with client.post(
            f"/api/sessions/{server.session_id}/documents", data=form, headers=server.headers
        ) as response:
            assert response.status == 201, await response.text()
            document = (await response.json())["id"]
        async with client.get(
            f"/api/documents/{document}/pages/1?w={WIDTH}", headers={**server.headers, **WEBP_ACCEPT}
        ) as first:
            assert first.status == 200, await first.text()
            await first.read()
        first_page_ms = (time.perf_counter() - started) * 1000
        cache = server.data_dir / "page-cache" / str(document) / "1" / str(WIDTH)
        wanted = {f"{number}.{PRERENDER_FORMAT}" for number in range(1, pages + 1)}
        while True:
            if wanted <= listing(cache):
                break
            await asyncio.sleep(0.02)
        seconds = time.perf_counter() - started
        used = tree_cpu(server.pid) - cpu
    total = sum((cache / name).stat().st_size for name in wanted)
    return Pipeline(Row(name, seconds, used, pages, total), first_page_ms)


def settle_server(server: Server, seconds: float = 120.0) -> None:
    """Wait until the server's workers are idle (the thumbnails after the last upload), so rounds do not overlap."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = tree_cpu(server.pid)
        time.sleep(0.5)
        if tree_cpu(server.pid) - before < 0.05:
            return


# Search


def page_texts(rng: random.Random, document: int) -> list[str]:
    return [
        f"Tài liệu {document}, trang {number}.\n" + " ".join(rng.choices(SENTENCES, k=14))
        for number in range(1, SEARCH_PAGES + 1)
    ]


def seed_pages(url: str, council_id: int, session_id: int) -> None:
    """20 documents of 100 pages, written as an upload writes them (the pages' text and folded text)."""

    async def write() -> None:
        engine = make_engine(url)
        rng = random.Random(2027)
        try:
            async with make_sessionmaker(engine)() as db:
                for index in range(1, SEARCH_DOCUMENTS + 1):
                    document = Document(
                        session_id=session_id,
                        title=f"Tài liệu {index}",
                        classification=Classification.INTERNAL,
                        version=1,
                        page_count=SEARCH_PAGES,
                    )
                    db.add(document)
                    await db.flush()
                    version = DocumentVersion(
                        document_id=document.id,
                        version=1,
                        file_name=f"tai-lieu-{index}.pdf",
                        size_bytes=0,
                        sha256=uuid.uuid4().hex * 2,
                        page_count=SEARCH_PAGES,
                    )
                    db.add(version)
                    await db.flush()
                    await db.execute(
                        insert(DocumentPage),
                        [
                            {"version_id": version.id, "number": number, "text": text, "folded": index_form(text)}
                            for number, text in enumerate(page_texts(rng, index), start=1)
                        ],
                    )
                await db.commit()
        finally:
            await engine.dispose()

    asyncio.run(write())


def search_queries(count: int) -> list[str]:
    """2–3 folded words: runs of words from the pages, and words from different sentences, which fewer pages hold."""
    rng = random.Random(11)
    sentences = [terms(sentence) for sentence in SENTENCES]
    queries = []
    for index in range(count):
        if index % 2:
            words = rng.choice(sentences)
            size = rng.choice((2, 3))
            start = rng.randrange(len(words) - size + 1)
            queries.append(" ".join(words[start : start + size]))
        else:
            queries.append(" ".join(rng.choice(words) for words in rng.sample(sentences, rng.choice((2, 3)))))
    return queries


async def search_latencies(server: Server, queries: list[str]) -> list[float]:
    async with aiohttp.ClientSession(server.base) as client:
        url = f"/api/councils/{server.council_id}/documents/search"
        for query in queries[:20]:  # warm: connection, caches
            async with client.get(url, params={"q": query}, headers=server.headers) as response:
                await response.read()
        latencies = []
        for query in queries:
            started = time.perf_counter()
            async with client.get(url, params={"q": query}, headers=server.headers) as response:
                assert response.status == 200, await response.text()
                await response.read()
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def search_line(engine: str, folder: Path, url: str, queries: list[str]) -> str:
    with hopso_serve(folder, url, seed_pages) as server:
        latencies = asyncio.run(search_latencies(server, queries))
    p99 = percentile(latencies, 0.99)
    return (
        f"  search, {engine:<10} p50 {statistics.median(latencies):6.1f} ms   p99 {p99:6.1f} ms   "
        f"(target p99 ≤ {TARGET_SEARCH_P99_MS:.0f} ms: {verdict(p99, TARGET_SEARCH_P99_MS, higher_is_better=False)})"
        f"   {load()}"
    )


async def admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def postgres_search(folder: Path, admin_url: str, queries: list[str]) -> str:
    name = f"hopso_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        return search_line("PostgreSQL", folder, url, queries)
    finally:
        asyncio.run(admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# The report


def ratio(slower: Row | None, faster: Row) -> float | None:
    return slower.seconds / faster.seconds if slower else None


def render_table(title: str, rows: list[Row], bare_same: Row, baseline: Row | None) -> list[str]:
    lines = [
        title,
        f"  {'renderer':<52} {'wall s':>7} {'CPU s':>7} {'cores':>6} {'ms/page':>8} {'MB':>6}"
        f" {'vs bare':>8} {'vs pdftoppm':>12}",
    ]
    for row in rows:
        against_baseline = ratio(baseline, row)
        lines.append(
            f"  {row.name:<52} {row.seconds:7.2f} {row.cpu_seconds:7.2f} {row.cpu_seconds / row.seconds:6.2f}"
            f" {row.seconds / row.pages * 1000:8.1f} {row.output_bytes / 1e6:6.1f}"
            f" {bare_same.seconds / row.seconds:7.2f}x"
            f" {f'{against_baseline:.2f}x' if against_baseline else 'n/a':>12}"
        )
    return lines


def verdict(value: float | None, target: float, higher_is_better: bool = True) -> str:
    if value is None:
        return "n/a"
    met = value >= target if higher_is_better else value <= target
    return "meets" if met else "MISSES"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text-pages", type=int, default=100)
    parser.add_argument("--scan-pages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="HopSo and the bare loops run this often; best kept")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {load()}, PyMuPDF {pymupdf.__version__}, pipeline format {PRERENDER_FORMAT}")
    with tempfile.TemporaryDirectory(prefix="hopso-bench-") as temp:
        folder = Path(temp)
        text = folder / "du-toan-ngan-sach.pdf"
        scanned = folder / "ban-scan-nghi-quyet.pdf"
        make_text_document(text, args.text_pages)
        make_scanned_document(scanned, text, args.scan_pages)
        documents = [(text, args.text_pages, "text"), (scanned, args.scan_pages, "scanned")]
        summary = []
        first_pages: list[float] = []
        warm_up = folder / "khoi-dong.pdf"
        make_text_document(warm_up, 2)
        with hopso_serve(folder / "server", f"sqlite+aiosqlite:///{folder / 'hopso.sqlite3'}") as server:
            # The first upload after a start pays for the worker processes' start: not what is measured here.
            asyncio.run(pipeline(server, warm_up, warm_up.read_bytes(), 2, "warm-up"))
            settle_server(server)
            for path, pages, kind in documents:
                baseline = pdftoppm(path, pages, folder / "pdftoppm")
                best: dict[str, Row] = {}
                for _ in range(args.rounds):
                    runs = [bare(path, pages, ImageFormat.PNG), bare(path, pages, PRERENDER_FORMAT)]
                    done = asyncio.run(
                        pipeline(server, path, path.read_bytes(), pages, f"HopSo upload → every page cached, {kind}")
                    )
                    settle_server(server)
                    if path == text:
                        first_pages.append(done.first_page_ms)
                    for row in [*runs, done.row]:
                        if row.name not in best or row.seconds < best[row.name].seconds:
                            best[row.name] = row
                rows = list(best.values())
                bare_same, hopso = rows[1], rows[2]
                title = (
                    f"{kind.capitalize()} PDF: {pages} pages at {WIDTH} px, {path.stat().st_size / 1e6:.1f} MB"
                    f" (best of {args.rounds}; 'vs bare' against the {PRERENDER_FORMAT.upper()} loop)   {load()}"
                )
                print("\n".join(render_table(title, [*rows, *([baseline] if baseline else [])], bare_same, baseline)))
                summary.append((kind, ratio(bare_same, hopso), ratio(baseline, hopso)))
        print(f"Search: {SEARCH_DOCUMENTS} documents × {SEARCH_PAGES} pages, {args.queries} queries of 2–3 words")
        queries = search_queries(args.queries)
        print(
            search_line("SQLite", folder / "search-sqlite", f"sqlite+aiosqlite:///{folder / 'search.sqlite3'}", queries)
        )
        admin_url = os.environ.get("HOPSO_TEST_POSTGRES_URL", "")
        if admin_url:
            print(postgres_search(folder / "search-postgres", admin_url, queries))
        else:
            print("  search, PostgreSQL: HOPSO_TEST_POSTGRES_URL is not set, not measured")
    print(f"Targets ({load()})")
    for kind, vs_bare, vs_pdftoppm in summary:
        print(
            f"  {kind:<8} HopSo vs bare loop {vs_bare or 0:5.2f}x (≥ {TARGET_VS_BARE}x: {verdict(vs_bare, TARGET_VS_BARE)})"
            f"   vs pdftoppm {vs_pdftoppm or 0:5.2f}x (≥ {TARGET_VS_PDFTOPPM:.0f}x: "
            f"{verdict(vs_pdftoppm, TARGET_VS_PDFTOPPM)})"
        )
    first = min(first_pages)
    print(
        f"  upload → first page at {WIDTH} px, {args.text_pages} pages: {first:.0f} ms best,"
        f" {max(first_pages):.0f} ms worst (≤ {TARGET_FIRST_PAGE_MS:.0f} ms: "
        f"{verdict(first, TARGET_FIRST_PAGE_MS, higher_is_better=False)})"
    )


if __name__ == "__main__":
    main()
