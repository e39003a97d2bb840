"""The duty belt's rules shared by every trainee provider (keyboard, headset): what a
"next tool" press draws, given what the hands already hold."""

from __future__ import annotations

from game.core.events import TOOLS, Draw, Holster, InputEvent


def next_tool(hands: dict[str, str], hand: str) -> list[InputEvent]:
    """The next tool on the belt for ``hand`` (skipping what the other hand holds; after the
    last one the hand is empty again). ``hands`` is updated in place, so several presses
    before a step resolve in order."""
    held = hands[hand]
    other = hands["left" if hand == "right" else "right"]
    order = [t for t in TOOLS if t != other] + [""]
    nxt = order[(order.index(held) + 1) % len(order)] if held in order else order[0]
    hands[hand] = nxt
    if nxt:
        return [Draw(tool=nxt, hand=hand)]
    return [Holster(hand=hand)] if held else []
