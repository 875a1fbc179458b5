"""The live feed: one row per post, newest first, updated in place as numbers climb."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from ...engine import Post, Session
from ..display import compact, plural, post_status, sentiment_icon, sentiment_style

MIN_TEXT_WIDTH = 20
AUTHOR_WIDTH = 22


@dataclass(frozen=True)
class Arrival:
    """The minute cell of a row: shows when the post appeared, sorts by arrival order."""

    minute: int
    order: int

    def __rich__(self) -> Text:
        return Text(f"{self.minute:>3}", style="grey62")


# (key, label, width); the post text takes whatever width is left.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("feel", "", 2),
    ("minute", "Min", 3),
    ("author", "Author", AUTHOR_WIDTH),
    ("followers", "Followers", 9),
    ("text", "Post", 0),
    ("likes", "Likes", 5),
    ("shares", "Shares", 6),
    ("reach", "Reach", 6),
    ("status", "Status", 12),
)
LIVE_COLUMNS = ("text", "likes", "shares", "reach", "status")


def author_cell(post: Post, width: int) -> Text:
    """``Maya Lopez @mayalopez``; the name is shortened first so the handle stays whole."""
    room = width - len(post.handle) - 1
    cell = Text()
    if room >= 4:
        name = Text(post.author, style="bold")
        name.truncate(room, overflow="ellipsis")
        cell.append_text(name)
        cell.append(" ")
    cell.append(post.handle, style=sentiment_style(post.sentiment))
    cell.truncate(width, overflow="ellipsis")
    return cell


class FeedTable(DataTable):
    """Posts of a session. :meth:`sync` adds new posts on top and updates the others in place,
    so the selected post stays selected while the feed moves."""

    BINDINGS = [
        Binding("home", "scroll_top", "Newest", show=False),
        Binding("end", "scroll_bottom", "Oldest", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._posts: dict[str, Post] = {}
        self._shown: dict[str, tuple[Text, ...]] = {}
        self._text_width = MIN_TEXT_WIDTH

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width or None)

    @property
    def selected_post_id(self) -> str | None:
        """The id of the post under the cursor, if any."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def sync(self, session: Session) -> None:
        """Show every post of ``session`` with its current numbers and status.

        New posts go on top. The cursor stays on the same post without scrolling to it, so a
        player at the top of the feed keeps seeing new posts arrive, and one who scrolled down
        keeps the same posts in view.
        """
        selected = self.selected_post_id
        added = 0
        for post in session.posts:
            cells = self._live_cells(post, session)
            if post.id not in self._posts:
                self._posts[post.id] = post
                self.add_row(
                    sentiment_icon(post.sentiment),
                    Arrival(post.minute, len(self._posts)),
                    author_cell(post, AUTHOR_WIDTH),
                    _number(post.followers),
                    *cells,
                    key=post.id,
                )
                added += 1
            elif cells != self._shown[post.id]:
                for key, cell in zip(LIVE_COLUMNS, cells, strict=True):
                    self.update_cell(post.id, key, cell)
            self._shown[post.id] = cells
        if added:
            self.border_subtitle = f"{plural(self.row_count, 'post')} · Home newest · End oldest"
            self.sort("minute", key=lambda arrival: arrival.order, reverse=True)
            if selected is not None:
                self.set_reactive(DataTable.cursor_coordinate, Coordinate(self.get_row_index(selected), 0))
            if self.scroll_y > 0:
                self.call_after_refresh(self.scroll_to, y=self.scroll_y + added, animate=False)

    def on_resize(self) -> None:
        """Give the post text the width the other columns leave (room is kept for a scrollbar)."""
        fixed = sum(width + 2 * self.cell_padding for _, _, width in COLUMNS if width)
        spare = self.size.width - fixed - 2 * self.cell_padding - self.styles.scrollbar_size_vertical
        width = max(MIN_TEXT_WIDTH, spare)
        if width != self._text_width:
            self._text_width = width
            for post in self._posts.values():
                cell = self._text_cell(post)
                self._shown[post.id] = (cell, *self._shown[post.id][1:])
                self.update_cell(post.id, "text", cell, update_width=True)

    def _text_cell(self, post: Post) -> Text:
        text = Text(" ".join(post.text.split()), no_wrap=True, overflow="ellipsis")
        text.truncate(self._text_width, overflow="ellipsis")
        if post.hidden:
            text.stylize("strike grey50")
        return text

    def _live_cells(self, post: Post, session: Session) -> tuple[Text, ...]:
        """The cells that change while the session runs, in ``LIVE_COLUMNS`` order."""
        return (
            self._text_cell(post),
            _number(post.likes),
            _number(post.shares),
            _number(post.reach),
            post_status(post, session),
        )


def _number(value: int) -> Text:
    return Text(compact(value), justify="right")
