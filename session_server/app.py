"""Build the HopSo web application from the settings: the one place where the parts are wired."""

from __future__ import annotations

import logging

from aiohttp import web

from session_server import viewer_routes
from session_server.api.routing import api
from session_server.archive import public_views as archive_public_views
from session_server.archive import signing_views as archive_signing_views
from session_server.archive import views as archive_views
from session_server.archive.job import ARCHIVE_KEY, ArchiveJobs
from session_server.archive.transcripts import views as transcript_views
from session_server.auth import views as auth_views
from session_server.auth.ratelimit import LoginRateLimiter
from session_server.councils import views as council_views
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.documents import note_views, public_views
from session_server.documents import views as document_views
from session_server.documents.workers import document_workers
from session_server.live.dispatcher import Dispatcher
from session_server.mail.sender import mail_sender
from session_server.metrics import Metrics
from session_server.middleware import authenticate, body_deadline, compress_assets, errors, measure, security_headers
from session_server.petitions import answer_views as petition_answer_views
from session_server.petitions import data_views as petition_data_views
from session_server.petitions import public_views as petition_public_views
from session_server.petitions import report_views as petition_report_views
from session_server.petitions import session_views as petition_session_views
from session_server.petitions import views as petition_views
from session_server.petitions.jobs import reminder_job
from session_server.public import pages as public_pages
from session_server.public import views as council_public_views
from session_server.realtime.broadcast import Broadcaster
from session_server.realtime.server import make_socketio_server, register_namespaces
from session_server.services import SERVICES_KEY, Services
from session_server.sessions import ballot_templates
from session_server.sessions import views as session_views
from session_server.settings import Settings, ensure_secret_key
from session_server.streams import views as stream_views
from session_server.streams.service import STREAMS_KEY, Streams, streams_component
from session_server.system import views as system_views
from session_server.votes.countdown import VoteCountdown
from session_server.votes.sealed import TallyPurge

log = logging.getLogger(__name__)
VIEW_MODULES = (
    auth_views,
    council_views,
    session_views,
    ballot_templates,
    document_views,
    note_views,
    public_views,
    stream_views,
    system_views,
    archive_views,
    archive_public_views,
    archive_signing_views,
    transcript_views,
    petition_views,
    petition_answer_views,
    petition_data_views,
    petition_public_views,
    petition_session_views,
    petition_report_views,
    council_public_views,
)


def create_app(settings: Settings) -> web.Application:
    settings = ensure_secret_key(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    sio = make_socketio_server(settings)
    sessionmaker = make_sessionmaker(engine)
    dispatcher = Dispatcher(sessionmaker, settings.secret_key)
    services = Services(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        login_limiter=LoginRateLimiter(
            settings.login_max_failures,
            settings.login_window_seconds,
            limits={"user": settings.login_account_max_failures, "addr": settings.login_address_max_failures},
        ),
        metrics=Metrics(),
        sio=sio,
        dispatcher=dispatcher,
    )
    countdown = VoteCountdown(dispatcher, sessionmaker)
    purge = TallyPurge(engine)
    dispatcher.observers += [Broadcaster(sio).publish, countdown.observe, purge.observe]
    archive = ArchiveJobs(settings, sessionmaker)
    dispatcher.observers.append(archive.observe)
    app = web.Application(
        middlewares=[measure, errors, body_deadline, authenticate, compress_assets],
        client_max_size=settings.max_upload_bytes,
    )
    app[SERVICES_KEY] = services
    app.on_response_prepare.append(security_headers(settings, viewer_routes.inline_script_hashes()))
    app[STREAMS_KEY] = Streams(settings, sessionmaker, dispatcher)
    app[ARCHIVE_KEY] = archive
    api.install(app)
    stream_views.install(app)
    app.cleanup_ctx.append(document_workers)
    app.cleanup_ctx.append(streams_component)
    sio.attach(app)
    register_namespaces(sio, services)
    viewer_routes.install(app)
    public_pages.install(app)

    mail_jobs = (
        [mail_sender(settings, sessionmaker), reminder_job(settings, sessionmaker)] if settings.mail_enabled else []
    )

    async def start(_app: web.Application) -> None:
        await purge.start()
        await countdown.start()
        await archive.start()
        for job in mail_jobs:
            await job.start()

    async def close(_app: web.Application) -> None:
        await dispatcher.close()
        await purge.close()
        await countdown.close()
        await archive.close()
        for job in mail_jobs:
            await job.close()
        await engine.dispose()

    app.on_startup.append(start)
    app.on_cleanup.append(close)
    return app
