"""The sign-in limiter's sliding window, on a clock the test moves."""

from __future__ import annotations

from session_server.auth.ratelimit import LoginRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_lifts_when_the_oldest_counted_failure_leaves_the_window() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(max_failures=3, window_seconds=300, clock=clock)
    for _ in range(3):
        limiter.failed("user:thuky")
        clock.now += 10

    assert limiter.retry_after("user:thuky") == 271  # the first failure (at 1000) leaves the window at 1300
    clock.now = 1299.5
    assert limiter.retry_after("user:thuky") == 1
    clock.now = 1300.0
    assert limiter.retry_after("user:thuky") == 0


def test_the_longest_wait_of_the_keys_asked_about_applies() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(max_failures=2, window_seconds=60, clock=clock)
    limiter.failed("user:a", "addr:10.0.0.5")
    clock.now += 30
    limiter.failed("user:b", "addr:10.0.0.5")

    assert limiter.retry_after("user:b", "addr:10.0.0.5") == 31
    assert limiter.retry_after("user:b", "addr:10.0.0.6") == 0


def test_success_forgets_the_accounts_failures() -> None:
    limiter = LoginRateLimiter(max_failures=2, window_seconds=60, clock=Clock())
    limiter.failed("user:thuky")
    limiter.succeeded("user:thuky")
    limiter.failed("user:thuky")

    assert limiter.retry_after("user:thuky") == 0


def test_asking_about_many_unknown_accounts_keeps_no_state() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(max_failures=5, window_seconds=300, clock=clock)
    limiter.failed("user:old")
    clock.now += 301

    for n in range(10_000):  # a guesser trying made-up usernames while locked out
        limiter.retry_after(f"user:guess{n}", "addr:203.0.113.9")
    limiter.retry_after("user:old")

    assert limiter._failures == {}  # memory use must not grow with the number of names tried


def test_a_kind_of_key_can_have_its_own_limit() -> None:
    limiter = LoginRateLimiter(max_failures=2, window_seconds=60, clock=Clock(), limits={"addr": 5})
    for _ in range(4):
        limiter.failed("addr:10.0.0.5", "user_at:thuky@10.0.0.5")

    assert limiter.retry_after("addr:10.0.0.5") == 0
    assert limiter.retry_after("user_at:thuky@10.0.0.5") > 0
    limiter.failed("addr:10.0.0.5")
    assert limiter.retry_after("addr:10.0.0.5") > 0
