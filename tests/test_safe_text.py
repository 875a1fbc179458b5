"""safe_text.clean strips what could drive a terminal and keeps everything a person wrote."""

from __future__ import annotations

import pytest

from crisis_sim.safe_text import clean


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;pwned\x07title", "title"),  # OSC: set the window title
        ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("\x1b[31mred\x1b[0m", "red"),  # CSI colours
        ("\x1b[?1000h mouse", " mouse"),  # CSI private mode
        ("\x9b2J clear", " clear"),  # C1 CSI
        ("\x9d0;title\x9c text", " text"),  # C1 OSC
        ("\x1bPdevice\x1b\\ ok", " ok"),  # DCS
        ("bell\x07 back\x08 cr\r del\x7f nul\x00", "bell back cr del nul"),
        ("lone escape\x1b", "lone escape"),
        ("\x1b(0 charset", " charset"),
        ("unterminated \x1b]0;title", "unterminated "),
    ],
)
def test_escape_sequences_and_controls_are_removed(raw: str, shown: str) -> None:
    assert clean(raw) == shown


@pytest.mark.parametrize(
    "kept",
    ["[red]x[/]", "[/]", "[UPDATED] we are on it", "tab\tand\nnewline", "שלום עולם", "emoji 😀🇬🇧", "café ß ñ", "{minute"],
)
def test_ordinary_text_markup_lookalikes_and_unicode_are_kept(kept: str) -> None:
    assert clean(kept) == kept
