"""Deadline reminders reach agencies through a real SMTP server on loopback (aiosmtpd); with the server down the
mail stays queued, and goes out once it is back."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from aiosmtpd.controller import Controller
from sqlalchemy import select

from session_server.app import create_app
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.mail.models import MailMessage
from session_server.mail.outbox import deliver_due, queue
from session_server.petitions.models import Agency
from session_server.petitions.reminders import remind
from session_server.services import services_of
from session_server.settings import Settings
from tests.conftest import make_settings
from tests.factories import World, make_world
from tests.functional.petitions.conftest import enter, forward

TODAY = date(2027, 1, 10)


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return _free_port()


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    yield inbox, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


@pytest.fixture
def mail_settings(tmp_path: Path, database_url: str, smtp_port: int) -> Settings:
    """The app under test runs with mail off (no background sender racing the test); the test sends with these."""
    return make_settings(
        tmp_path,
        database_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_security="none",
        mail_from="Văn phòng HĐND <hdnd@example.vn>",
        mail_retry_seconds=60,
        petition_reminder_days=7,
    )


async def _overdue_and_soon(client: TestClient) -> World:
    world = await make_world(services_of(client.app).sessionmaker, agency=True)
    async with services_of(client.app).sessionmaker() as db:
        agency = await db.get(Agency, world.agency.id)
        assert agency is not None
        agency.email = "ubnd@example.vn"
        await db.commit()
    late = await enter(client, world, "Đề nghị sửa cầu treo thôn Bắc")
    soon = await enter(client, world, "Đề nghị nạo vét kênh N2")
    later = await enter(client, world, "Đề nghị xây nhà văn hóa thôn Nam")
    await forward(client, world, late["id"], (TODAY - timedelta(days=3)).isoformat())
    await forward(client, world, soon["id"], (TODAY + timedelta(days=5)).isoformat())
    await forward(client, world, later["id"], (TODAY + timedelta(days=40)).isoformat())
    return world


async def _remind(client: TestClient, settings: Settings, today: date) -> int:
    async with services_of(client.app).sessionmaker() as db:
        queued = await remind(db, settings, today, now=datetime.combine(today, time(8), UTC))
        await db.commit()
    return queued


async def test_an_agency_gets_one_mail_listing_what_is_due_and_overdue(
    client: TestClient, smtp: tuple[Inbox, Controller], mail_settings: Settings
) -> None:
    inbox, controller = smtp
    controller.start()
    await _overdue_and_soon(client)
    sessionmaker = services_of(client.app).sessionmaker

    assert await _remind(client, mail_settings, TODAY) == 1
    assert await deliver_due(mail_settings, sessionmaker) == 1
    assert await _remind(client, mail_settings, TODAY) == 0

    [mail] = inbox.messages
    body = mail.get_payload(decode=True).decode()
    assert mail["To"] == "ubnd@example.vn"
    assert str(make_header(decode_header(mail["Subject"]))) == (
        "[Hội đồng nhân dân xã Thử Nghiệm] 2 kiến nghị cử tri cần trả lời, 1 đã quá hạn"
    )
    assert "Đề nghị sửa cầu treo thôn Bắc" in body and "(ĐÃ QUÁ HẠN)" in body
    assert "Đề nghị nạo vét kênh N2" in body and "nhà văn hóa" not in body


async def test_a_mail_outage_loses_nothing_and_the_mail_goes_out_when_the_server_is_back(
    client: TestClient, smtp: tuple[Inbox, Controller], mail_settings: Settings
) -> None:
    inbox, controller = smtp
    await _overdue_and_soon(client)
    sessionmaker = services_of(client.app).sessionmaker
    assert await _remind(client, mail_settings, TODAY) == 1

    assert await deliver_due(mail_settings, sessionmaker) == 0
    async with sessionmaker() as db:
        [queued] = list(await db.scalars(select(MailMessage)))
    assert queued.sent_at is None and queued.attempts == 1 and "Connection" in queued.last_error

    controller.start()
    assert await deliver_due(mail_settings, sessionmaker) == 0, "not due again before the retry time"
    later = datetime.now(UTC) + timedelta(minutes=2)
    assert await deliver_due(mail_settings, sessionmaker, now=later) == 1
    assert len(inbox.messages) == 1
    async with sessionmaker() as db:
        [sent] = list(await db.scalars(select(MailMessage)))
    assert sent.sent_at is not None and sent.attempts == 2 and sent.last_error == ""


async def test_a_running_hopso_with_mail_on_sends_what_is_queued(
    aiohttp_client: Any, tmp_path: Path, database_url: str, smtp: tuple[Inbox, Controller], smtp_port: int
) -> None:
    inbox, controller = smtp
    controller.start()
    settings = make_settings(tmp_path, database_url, smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_security="none")
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            queue(db, "ubnd@example.vn", "Nhắc hạn trả lời kiến nghị", "Kính gửi Ủy ban nhân dân xã")
            await db.commit()
    finally:
        await engine.dispose()

    await aiohttp_client(create_app(settings))
    for _ in range(100):
        if inbox.messages:
            break
        await asyncio.sleep(0.1)

    assert [m["To"] for m in inbox.messages] == ["ubnd@example.vn"]
