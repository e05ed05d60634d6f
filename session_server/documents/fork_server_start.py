"""Imported first by the PDF pool's fork server (its preload list), and by nothing else: it ends with the server."""

from session_server.documents.lifeline import watch_parent

watch_parent()
