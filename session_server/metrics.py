"""Prometheus metrics of one HopSo process, served at /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "hopso_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=self.registry
        )
        self.http_seconds = Histogram(
            "hopso_http_request_seconds", "Time to answer an HTTP request", ["method", "route"], registry=self.registry
        )
        self.socket_clients = Gauge(
            "hopso_socketio_clients", "Connected Socket.IO clients", ["namespace"], registry=self.registry
        )
        self.logins = Counter("hopso_logins", "Sign-in attempts", ["outcome"], registry=self.registry)

    def render(self) -> bytes:
        return generate_latest(self.registry)
