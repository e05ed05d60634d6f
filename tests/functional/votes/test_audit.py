"""`hopso verify` recomputes the audit chain and the tallies; an edit behind the system's back is found."""

from __future__ import annotations

from sqlalchemy import select, update

from session_server.db.models import Ballot, BallotReceipt, Event, SecretTally
from session_server.live.audit import verify_session
from session_server.services import services_of
from session_server.votes.sealed import seal
from tests.functional.votes.conftest import Hall
from tests.support import TEST_SECRET_KEY


async def _voted(hall: Hall, ballot_type: str = "named") -> int:
    motion_id = await hall.motion(ballot_type=ballot_type)
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    for tablet, choice in zip(hall.tablets, ["yes", "yes", "no", "abstain"], strict=False):
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})
    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})
    return motion_id


async def test_an_untouched_session_verifies(hall: Hall) -> None:
    await _voted(hall)
    secret = await hall.motion(kind="confidence_vote", ballot_type="secret")
    await hall.chair.ok("vote.open", {"motion_id": secret})
    await hall.tablets[1].ok("vote.cast", {"motion_id": secret, "choice": "confidence"})
    await hall.chair.ok("vote.close", {"motion_id": secret, "confirm": True})

    async with services_of(hall.server.app).sessionmaker() as db:
        report = await verify_session(db, hall.live.session_id, TEST_SECRET_KEY)

    assert report.ok, report.problems
    assert report.motions == 2 and report.events > 10


async def test_an_edited_event_breaks_the_chain_at_that_event(hall: Hall) -> None:
    await _voted(hall)
    sessionmaker = services_of(hall.server.app).sessionmaker
    async with sessionmaker() as db:
        cast = await db.scalar(select(Event).where(Event.type == "vote.cast").order_by(Event.seq))
        assert cast is not None
        await db.execute(
            update(Event)
            .where(Event.session_id == cast.session_id, Event.seq == cast.seq)
            .values(data={**cast.data, "choice": "no"})
        )
        await db.commit()
        report = await verify_session(db, hall.live.session_id, TEST_SECRET_KEY)

    assert f"audit chain broken at event seq {cast.seq} (vote.cast)" in report.problems


async def test_an_edited_ballot_no_longer_matches_the_log_or_the_result(hall: Hall) -> None:
    motion_id = await _voted(hall)
    sessionmaker = services_of(hall.server.app).sessionmaker
    async with sessionmaker() as db:
        await db.execute(
            update(Ballot).where(Ballot.motion_id == motion_id, Ballot.choice == "no").values(choice="yes")
        )
        await db.commit()
        report = await verify_session(db, hall.live.session_id, TEST_SECRET_KEY)

    assert not report.ok
    assert any("ballots differ from the log" in p for p in report.problems)
    assert any("announced counts" in p for p in report.problems)


async def test_hopso_verify_exits_with_an_error_naming_the_break(hall: Hall, settings, monkeypatch, capsys) -> None:
    import asyncio

    import pytest

    from session_server.cli import main

    await _voted(hall)
    monkeypatch.setenv("HOPSO_DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("HOPSO_DATA_DIR", str(settings.data_dir))
    await asyncio.to_thread(main, ["verify", str(hall.live.session_id)])
    assert "verified" in capsys.readouterr().out

    async with services_of(hall.server.app).sessionmaker() as db:
        await db.execute(update(Event).where(Event.seq == 2).values(type="edited"))
        await db.commit()
    with pytest.raises(SystemExit) as exited:
        await asyncio.to_thread(main, ["verify", str(hall.live.session_id)])

    assert exited.value.code == 1
    assert "audit chain broken at event seq 2" in capsys.readouterr().out


async def _secret_vote(hall: Hall) -> int:
    motion_id = await hall.motion(kind="confidence_vote", ballot_type="secret")
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    for tablet, choice in zip(
        hall.tablets, ["confidence", "no_confidence", "no_confidence", "confidence"], strict=False
    ):
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})
    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})
    return motion_id


async def test_a_secret_vote_is_recounted_from_its_sealed_tally_and_its_receipts(hall: Hall) -> None:
    motion_id = await _secret_vote(hall)
    sessionmaker = services_of(hall.server.app).sessionmaker
    async with sessionmaker() as db:
        assert (await verify_session(db, hall.live.session_id, TEST_SECRET_KEY)).ok
        # Someone with the server's key reseals the tally with one ballot moved to the other side.
        await db.execute(
            update(SecretTally)
            .where(SecretTally.motion_id == motion_id)
            .values(sealed=seal(TEST_SECRET_KEY, motion_id, (4, 3, 1)))
        )
        receipt = await db.scalar(select(BallotReceipt).where(BallotReceipt.motion_id == motion_id).limit(1))
        await db.delete(receipt)
        await db.commit()
        report = await verify_session(db, hall.live.session_id, TEST_SECRET_KEY)

    assert f"motion {motion_id}: 4 receipts logged, 3 receipts stored, 4 ballots in the tally" in report.problems
    assert any(p.startswith(f"motion {motion_id}: announced counts") for p in report.problems)


async def test_a_secret_tally_that_does_not_open_with_the_servers_key_is_reported(hall: Hall) -> None:
    motion_id = await _secret_vote(hall)
    async with services_of(hall.server.app).sessionmaker() as db:
        report = await verify_session(db, hall.live.session_id, "another server's key")

    assert report.problems == [
        f"motion {motion_id}: the tally of motion {motion_id} does not open with this server's secret key"
    ]
