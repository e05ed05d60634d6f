"""The livestream of a session: stream keys, RTMP and WHIP ingest, the live playlist, the relay, the status.

`media` does the media work and never touches the database; this package owns the keys and settings in the
database, answers nginx-rtmp's hooks, and turns media's status reports into live-session events.
"""
