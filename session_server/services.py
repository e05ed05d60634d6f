"""The app-wide services, built once from the settings and shared by every request and Socket.IO handler."""

from __future__ import annotations

from dataclasses import dataclass

import socketio
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from session_server.auth.ratelimit import LoginRateLimiter
from session_server.live.dispatcher import Dispatcher
from session_server.metrics import Metrics
from session_server.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    login_limiter: LoginRateLimiter
    metrics: Metrics
    sio: socketio.AsyncServer
    dispatcher: Dispatcher


SERVICES_KEY = web.AppKey("hopso.services", Services)


def services_of(app: web.Application) -> Services:
    return app[SERVICES_KEY]
