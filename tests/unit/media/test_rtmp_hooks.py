"""nginx-rtmp hook forms and the names media turns into URLs and paths."""

import pytest

from media import HookError, InvalidName, RtmpIngest, RtmpIngestSettings, parse_hook
from media.events import NullMediaEvents
from media.names import check_session_key

# What nginx-rtmp 1.2 posts for `ffmpeg -f flv rtmp://host/live/KEY?who=hall` (captured from a real run).
PUBLISH_FORM = {
    "app": "live",
    "flashver": "FMLE/3.0 (compatible; Lavf59.27",
    "swfurl": "",
    "tcurl": "rtmp://127.0.0.1:19350/live",
    "pageurl": "",
    "addr": "198.51.100.7",
    "clientid": "4",
    "call": "publish",
    "name": "k3y-Good_0123",
    "type": "live",
    "who": "hall",
}


def test_a_publish_form_is_read() -> None:
    hook = parse_hook(PUBLISH_FORM)
    assert (hook.call, hook.app, hook.stream_key, hook.addr, hook.client_id) == (
        "publish", "live", "k3y-Good_0123", "198.51.100.7", "4"
    )  # fmt: skip
    assert hook.args == {"who": "hall"}


@pytest.mark.parametrize("missing", ["call", "app", "name"])
def test_a_form_without_the_core_fields_is_not_a_hook(missing: str) -> None:
    with pytest.raises(HookError):
        parse_hook({key: value for key, value in PUBLISH_FORM.items() if key != missing})


@pytest.mark.parametrize("name", ["../etc", "a b", "key/other", "", "k" * 129, "-leading", "ключ"])
def test_stream_keys_unsafe_in_a_url_are_refused(name: str) -> None:
    with pytest.raises(HookError):
        parse_hook(PUBLISH_FORM | {"name": name})


@pytest.mark.parametrize("key", ["..", "a/b", "", "x" * 65, "_x", "phiên"])
def test_session_keys_unsafe_as_a_directory_are_refused(key: str) -> None:
    with pytest.raises(InvalidName):
        check_session_key(key)


class Refuse:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def check(self, stream_key: str) -> str | None:
        self.asked.append(stream_key)
        return None


def make_ingest(tmp_path, authority: Refuse) -> RtmpIngest:
    settings = RtmpIngestSettings.for_data_dir(tmp_path, hook_token="s3cret/+")
    return RtmpIngest(settings, authority, NullMediaEvents())


async def test_the_hook_token_is_checked_before_the_authority_is_asked(tmp_path) -> None:
    authority = Refuse()
    ingest = make_ingest(tmp_path, authority)
    assert ingest.settings.nginx.on_publish_url.endswith("/internal/rtmp/publish?token=s3cret%2F%2B")

    assert await ingest.on_publish(PUBLISH_FORM, token=None) is False
    assert await ingest.on_publish(PUBLISH_FORM, token="wrong") is False
    assert authority.asked == []
    assert await ingest.on_publish(PUBLISH_FORM, token="s3cret/+") is False
    assert authority.asked == ["k3y-Good_0123"]


async def test_only_publishes_to_the_configured_application_are_considered(tmp_path) -> None:
    authority = Refuse()
    ingest = make_ingest(tmp_path, authority)
    assert await ingest.on_publish(PUBLISH_FORM | {"app": "other"}, token="s3cret/+") is False
    assert await ingest.on_publish(PUBLISH_FORM | {"call": "play"}, token="s3cret/+") is False
    assert await ingest.on_publish({"call": "publish"}, token="s3cret/+") is False
    assert authority.asked == []
