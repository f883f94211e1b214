"""Every viewport's first image before the rest of any volume (a study opened with its prior)."""

from __future__ import annotations

import threading

from clinic_app.core.tasks import CancelToken
from clinic_app.ui.radiology import first_images
from clinic_app.ui.radiology.first_images import FirstImageGate
from tests.ui.test_radiology_priors import _workspace, two_visits  # noqa: F401 (fixture)


def test_a_load_with_its_first_image_waits_for_the_others_first_image() -> None:
    """Today's load waits after its first image until the prior's first image is in."""
    gate = FirstImageGate()
    gate.started("today")
    gate.started("prior")
    gate.arrived("today")
    released = threading.Event()

    def today_rest() -> None:
        if gate.wait(CancelToken(), timeout_s=10):
            released.set()

    thread = threading.Thread(target=today_rest)
    thread.start()
    assert not released.wait(0.2)  # still owed: the prior's first image
    gate.arrived("prior")
    assert released.wait(10)
    thread.join(10)
    assert gate.pending() == frozenset()


def test_a_cancelled_or_slow_load_never_holds_the_others_for_long() -> None:
    """A cancelled waiter returns False at once; a first image that never comes costs at
    most the timeout."""
    gate = FirstImageGate()
    gate.started("prior")
    cancel = CancelToken()
    cancel.cancel()
    assert gate.wait(cancel, timeout_s=10) is False
    assert gate.wait(CancelToken(), timeout_s=0.1) is False
    gate.arrived("prior")
    assert gate.wait(CancelToken(), timeout_s=10) is True


def test_the_priors_first_image_comes_before_todays_full_volume(store, two_visits, qtbot, pool,  # noqa: F811
                                                                monkeypatch):
    """Open with prior: the prior's first image reaches the screen before today's volume is
    complete, and nothing is left owing a first image afterwards."""
    monkeypatch.setattr(first_images, "WAIT_S", 30.0)  # a loaded machine must not time out
    session, today, prior = two_visits
    ws = _workspace(store, session, qtbot, pool)
    events: list[tuple[str, bool]] = []
    ws.loader.display_ready.connect(lambda d: events.append((d.series_uid, d.complete)))
    with qtbot.waitSignal(ws.compare.prior_opened, timeout=20_000):
        ws.open_study(today.study_uid, with_prior=True)
    qtbot.waitUntil(lambda: {(today.series_uid, True), (prior.series_uid, True)} <= set(events),
                    timeout=20_000)
    prior_first = next(i for i, (uid, _) in enumerate(events) if uid == prior.series_uid)
    today_full = events.index((today.series_uid, True))
    assert prior_first < today_full, events
    assert ws.loader.gate.pending() == frozenset()
    ws.shutdown()
