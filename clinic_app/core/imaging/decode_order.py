"""The order a stack's slices are decoded in while a volume loads.

Kept apart from the volume builder because it is the viewer's policy (which images the
reader can scroll to first), not how a slice is decoded; tested on plans alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clinic_app.core.imaging.geometry import StackPlan


def decode_order(plan: StackPlan, first: int = 0) -> list[int]:
    """The order slices are decoded in: outward from ``first`` (first, first + 1,
    first - 1, …), so the images around the one on screen can be scrolled to first.

    A stack whose frames come from several multi-frame instances keeps each instance's
    frames together instead: the builder holds one decrypted blob at a time, and going
    back and forth between instances would read and decrypt each blob again per frame.
    """
    n = len(plan.frames)
    instances = {fr.instance.id for fr in plan.frames}
    if 1 < len(instances) < n:
        return sorted(range(n), key=lambda k: (plan.frames[k].instance.id, plan.frames[k].frame))
    first = min(max(first, 0), n - 1)
    order = [first]
    for step in range(1, n):
        order.extend(k for k in (first + step, first - step) if 0 <= k < n)
    return order
