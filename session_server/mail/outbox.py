"""Writing to the mail queue and delivering it through the deployment's SMTP server.

`queue` adds a message in the caller's transaction, so a message exists exactly when the change that decided to send
it was committed. `deliver_due` takes each due message under a short lease (so two HopSo processes never send the same
one), sends it with smtplib in a worker thread, and marks it sent; a failure (the server is down, refuses, times out)
leaves it queued with the error and a later attempt time, doubling up to a day. Nothing is lost to an outage.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.db.models import utcnow
from session_server.mail.models import MailMessage
from session_server.settings import Settings

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
MAX_DELAY = timedelta(days=1)
BATCH = 50
SMTP_TIMEOUT = 20


def queue(db: AsyncSession, to_address: str, subject: str, body: str) -> MailMessage:
    message = MailMessage(to_address=to_address, subject=subject[:300], body=body)
    db.add(message)
    return message


def _email(settings: Settings, message: MailMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.mail_from or f"HopSo <hopso@{settings.smtp_host}>"
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(idstring=f"hopso-{message.id}")
    email.set_content(message.body)
    return email


def send(settings: Settings, email: EmailMessage) -> None:
    """One SMTP conversation (blocking)."""
    context = ssl.create_default_context()
    if settings.smtp_security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT, context=context
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_username:
            client.login(settings.smtp_username, settings.smtp_password)
        client.send_message(email)


def _delay(settings: Settings, attempts: int) -> timedelta:
    return min(timedelta(seconds=settings.mail_retry_seconds * 2 ** max(attempts - 1, 0)), MAX_DELAY)


async def deliver_due(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], now: datetime | None = None
) -> int:
    """Send every message that is due; the number sent."""
    now = now or utcnow()
    async with sessionmaker() as db:
        due = list(
            await db.scalars(
                select(MailMessage.id)
                .where(
                    MailMessage.sent_at.is_(None),
                    MailMessage.next_attempt_at <= now,
                    or_(MailMessage.lease_until.is_(None), MailMessage.lease_until < now),
                )
                .order_by(MailMessage.id)
                .limit(BATCH)
            )
        )
    sent = 0
    for message_id in due:
        sent += await _deliver_one(settings, sessionmaker, message_id, now)
    return sent


async def _deliver_one(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], message_id: int, now: datetime
) -> int:
    async with sessionmaker() as db:
        claimed = await db.execute(
            update(MailMessage)
            .where(
                MailMessage.id == message_id,
                MailMessage.sent_at.is_(None),
                or_(MailMessage.lease_until.is_(None), MailMessage.lease_until < now),
            )
            .values(lease_until=now + LEASE)
        )
        await db.commit()
        if claimed.rowcount != 1:
            return 0
        message = await db.get(MailMessage, message_id)
        assert message is not None
        try:
            await asyncio.to_thread(send, settings, _email(settings, message))
        except (OSError, smtplib.SMTPException) as exc:
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.next_attempt_at = now + _delay(settings, message.attempts)
            message.lease_until = None
            await db.commit()
            log.warning(
                "mail %s to %s not sent (attempt %s): %s", message.id, message.to_address, message.attempts, exc
            )
            return 0
        message.attempts += 1
        message.sent_at = utcnow()
        message.lease_until = None
        message.last_error = ""
        await db.commit()
        return 1
