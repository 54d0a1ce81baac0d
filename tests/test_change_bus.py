"""The change bus: every subscriber gets each change once, in subscription order, with
the initiator, so a shared cache subscribed first is fresh for the views after it."""

from __future__ import annotations

from stancemark.core.changes import RELOAD, UNDO, ChangeBus
from stancemark.core.model import Change


def test_subscribers_get_each_change_in_order_with_its_initiator():
    bus = ChangeBus()
    seen: list[tuple[str, str, object]] = []
    bus.subscribe(lambda c, who: seen.append(("cache", c.action, who)))
    stop = bus.subscribe(lambda c, who: seen.append(("view", c.action, who)))
    change = Change("add", "annotation", ("u1",), ("a1",))
    bus.publish(change, "tagger")
    bus.publish(change, UNDO)
    stop()
    bus.publish(RELOAD)
    assert seen == [("cache", "add", "tagger"), ("view", "add", "tagger"),
                    ("cache", "add", UNDO), ("view", "add", UNDO),
                    ("cache", "reload", None)]
    stop()  # a second unsubscribe is harmless


def test_a_handler_may_unsubscribe_while_a_change_is_published():
    bus = ChangeBus()
    seen: list[str] = []
    stops: list = []
    stops.append(bus.subscribe(lambda c, _w: (seen.append("once"), stops[0]())))
    bus.subscribe(lambda c, _w: seen.append("always"))
    bus.publish(RELOAD)
    bus.publish(RELOAD)
    assert seen == ["once", "always", "always"]
