"""The live feed: one row per post, newest first, updated in place as numbers climb.

The feed is virtualised: it keeps no rows of its own and draws, from the session's list
of posts, only the rows on screen (Textual's Line API). A row's cells are rendered once
and cached until the post's shown numbers or status change, so a tick costs the same
with 100 posts as with 100,000.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...engine import Post, Session
from ..display import compact, plural, post_status, sentiment_icon, sentiment_style

MIN_TEXT_WIDTH = 20
AUTHOR_WIDTH = 22
CELL_PADDING = 1
ROW_CACHE_SIZE = 2_000  # rendered rows kept: many screens' worth
STRIP_CACHE_SIZE = 400  # styled lines kept: a few screens' worth, striped both ways


class Column(NamedTuple):
    key: str
    label: str
    width: int  # 0: the post text, which takes whatever width is left
    right: bool = False  # numbers line up on the right


COLUMNS: tuple[Column, ...] = (
    Column("feel", "", 2),
    Column("minute", "Min", 3),
    Column("author", "Author", AUTHOR_WIDTH),
    Column("followers", "Followers", 9, right=True),
    Column("text", "Post", 0),
    Column("likes", "Likes", 5, right=True),
    Column("shares", "Shares", 6, right=True),
    Column("reach", "Reach", 6, right=True),
    Column("status", "Status", 12),
)
OPTIONAL_COLUMNS = ("followers", "likes", "shares")
"""Dropped in this order when the feed is too narrow for them; reach and status always show."""
LIVE = ("likes", "shares", "reach", "status")  # the columns whose cells change as a post spreads
LIVE_COLUMNS = tuple(column for column in COLUMNS if column.key in LIVE)
assert COLUMNS[-len(LIVE) :] == LIVE_COLUMNS, "the live columns come last"


def cells(post: Post, text_width: int) -> dict[str, Text]:
    """Every cell of ``post``'s row, by column key, as the feed draws it."""
    return {
        column.key: Text.assemble(*_cell_parts(post, column.key, column.width or text_width)) for column in COLUMNS
    }


# Rows are drawn straight to segments, without Rich's Text machinery: a page of new rows
# (the first frame, PgDn, End) then costs a few milliseconds. cells() shows the same parts as Text.
PAD = " " * CELL_PADDING
GREY = Style.parse("grey62")
BOLD = Style.parse("bold")
HIDDEN = Style.parse("strike grey50")


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, not padded."""
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    room = width - cell_len(text)
    return " " * room + text if right else text + " " * room


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns a feed ``width`` cells wide shows, leaving the post text at least MIN_TEXT_WIDTH."""
    columns = COLUMNS
    for key in OPTIONAL_COLUMNS:
        if fixed_width(columns) + MIN_TEXT_WIDTH <= width:
            break
        columns = tuple(column for column in columns if column.key != key)
    return columns


def fixed_width(columns: tuple[Column, ...]) -> int:
    """Cells taken by ``columns`` and their padding, all but the post text itself."""
    return sum(column.width + 2 * CELL_PADDING for column in columns)


_SENTIMENT_STYLES: dict[str, Style] = {}


def _style(name: str) -> Style | None:
    """A parsed style, parsed once."""
    if not name:
        return None
    if name not in _SENTIMENT_STYLES:
        _SENTIMENT_STYLES[name] = Style.parse(name)
    return _SENTIMENT_STYLES[name]


def _cell_parts(post: Post, key: str, width: int) -> list[tuple[str, Style | None]]:
    """One cell's text and style(s), cut to ``width``; the same look as :func:`cells`."""
    if key == "feel":
        feel = sentiment_icon(post.sentiment)
        return [(feel.plain, _style(str(feel.style)))]
    if key == "minute":
        return [(f"{post.minute:>3}", GREY)]
    if key == "author":
        handle = _fit(post.handle, width)
        room = width - cell_len(handle) - 1
        name = [(_fit(post.author, room), BOLD), (" ", None)] if room >= 4 else []
        return [*name, (handle, _style(sentiment_style(post.sentiment)))]
    if key == "text":
        return [(_fit(" ".join(post.text.split()), width), HIDDEN if post.hidden else None)]
    if key == "status":
        status = post_status(post)
        return [(_fit(status.plain, width), _style(str(status.style)))]
    return [(_fit(compact(getattr(post, key)), width), None)]  # followers, likes, shares, reach


def _segments(post: Post, columns: tuple[Column, ...], text_width: int) -> list[Segment]:
    """``post``'s cells in ``columns``, padded and aligned like the header."""
    segments = []
    for column in columns:
        width = column.width or text_width
        parts = _cell_parts(post, column.key, width)
        fill = Segment(" " * (width - sum(cell_len(text) for text, _ in parts)))
        cell = [Segment(text, style) for text, style in parts]
        segments += [Segment(PAD), *([fill, *cell] if column.right else [*cell, fill]), Segment(PAD)]
    return segments


def shown_numbers(post: Post) -> tuple[object, ...]:
    """What a row shows that can change: when it changes, the row is drawn again."""
    return post.likes, post.shares, post.status, post.answered_at


class FeedTable(ScrollView, can_focus=True):
    """Posts of a session, newest on top, with a row cursor.

    :meth:`sync` takes in new posts and redraws only rows on screen whose numbers changed.
    The cursor stays on the same post while new posts arrive on top; a player at the top
    keeps seeing new posts arrive, one who scrolled down keeps the same posts in view.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "cursor_top", "Newest", show=False),
        Binding("end,ctrl+end", "cursor_bottom", "Oldest", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "feed--header",
        "feed--cursor",
        "feed--even-row",
        "feed--odd-row",
    }

    DEFAULT_CSS = """
    FeedTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus {
            background-tint: $foreground 5%;
            & > .feed--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .feed--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .feed--even-row {
            background: $surface-darken-1 40%;
        }
        & > .feed--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .feed--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .feed--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .feed--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class Highlighted(Message):
        """The cursor moved to another post."""

        def __init__(self, feed: FeedTable, post_id: str | None) -> None:
            super().__init__()
            self.feed = feed
            self.post_id = post_id

        @property
        def control(self) -> FeedTable:
            return self.feed

    class Selected(Message):
        """The player chose the post under the cursor (Enter, or a click on it)."""

        def __init__(self, feed: FeedTable, post_id: str) -> None:
            super().__init__()
            self.feed = feed
            self.post_id = post_id

        @property
        def control(self) -> FeedTable:
            return self.feed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._session: Session | None = None
        self._posts: list[Post] = []
        self._count = 0  # posts taken in by the last sync: row r shows posts[_count - 1 - r]
        self._cursor = -1  # index in the session's posts of the post under the cursor
        self._rows: LRUCache[int, tuple[tuple[object, ...], int, list[Segment]]] = LRUCache(ROW_CACHE_SIZE)
        self._fixed: LRUCache[int, tuple[tuple[int, bool], list[Segment]]] = LRUCache(ROW_CACHE_SIZE)
        self._header: tuple[int, list[Segment]] | None = None
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(STRIP_CACHE_SIZE)  # styled lines, as drawn
        self._styles = (Style(), Style(), Style(), Style())

    # --- what the screen and the tests read ---------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def cursor_row(self) -> int:
        """The row (0 is the newest post) under the cursor; 0 when the feed is empty."""
        return self._count - 1 - self._cursor if self._cursor >= 0 else 0

    @property
    def selected_post_id(self) -> str | None:
        """The id of the post under the cursor, if any."""
        return self._posts[self._cursor].id if self._cursor >= 0 else None

    def post_at(self, row: int) -> Post:
        """The post shown in ``row`` (0 is the newest)."""
        if not 0 <= row < self._count:
            raise IndexError(f"no row {row} in a feed of {self._count}")
        return self._posts[self._count - 1 - row]

    def get_row_index(self, post_id: str) -> int:
        """The row showing the post with ``post_id``."""
        if self._session is None:
            raise KeyError(post_id)
        return self._count - 1 - self._session.post(post_id).seq

    def get_cell(self, post_id: str, column: str) -> Text:
        """The cell ``column`` (a key of :data:`COLUMNS`) of ``post_id``'s row, as shown."""
        return self._cells(self.post_at(self.get_row_index(post_id)))[column]

    # --- keeping up with the session -----------------------------------------

    def sync(self, session: Session) -> None:
        """Take in new posts and redraw the rows on screen whose numbers or status changed."""
        self._session = session
        self._posts = posts = session.posts
        added = len(posts) - self._count
        if added <= 0:
            self._refresh_changed_rows()
            return
        first = self._count == 0
        scrolled = self.scroll_y
        self._set_row_count(len(posts))
        if first:
            self._cursor = self._count - 1
        if scrolled > 0:  # keep the same posts in view; at the top, new posts come into view
            self.scroll_to(y=scrolled + added, animate=False)
        self.border_subtitle = f"{plural(self._count, 'post')} · Home newest · End oldest"
        self.refresh()
        if first:
            self._post_highlighted()

    def _refresh_changed_rows(self) -> None:
        top = round(self.scroll_y)
        for y in range(1, self.scrollable_content_region.height):
            row = top + y - 1
            if row >= self._count:
                break
            post = self._posts[self._count - 1 - row]
            cached = self._rows.get(post.seq)
            if cached is not None and cached[0] != shown_numbers(post):
                self.refresh_line(top + y)

    # --- drawing ------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns that fit the feed's width."""
        return columns_for(self.scrollable_content_region.width)

    @property
    def text_width(self) -> int:
        """The post text takes the width the other columns leave."""
        return max(MIN_TEXT_WIDTH, self.scrollable_content_region.width - fixed_width(self.columns))

    def _cells(self, post: Post) -> dict[str, Text]:
        return cells(post, self.text_width)

    def _header_line(self) -> Text:
        """The column labels as one line, padded like the rows."""
        line = Text(no_wrap=True, end="")
        pad = " " * CELL_PADDING
        text_width = self.text_width
        for column in self.columns:
            label = Text(column.label)
            label.truncate(column.width or text_width, overflow="ellipsis")
            label.align("left", column.width or text_width)
            line.append(pad)
            line.append_text(label)
            line.append(pad)
        return line

    def _row_segments(self, post: Post) -> list[Segment]:
        """A row's segments without the row's background: cached, redrawn when its numbers change."""
        width = self.scrollable_content_region.width
        numbers = shown_numbers(post)
        cached = self._rows.get(post.seq)
        if cached is not None and cached[0] == numbers and cached[1] == width:
            return cached[2]
        columns, text_width = self.columns, self.text_width
        fixed = self._fixed.get(post.seq)
        if fixed is None or fixed[0] != (width, post.hidden):  # who posted, when, and what: only hiding changes it
            steady = tuple(column for column in columns if column.key not in LIVE)
            fixed = ((width, post.hidden), _segments(post, steady, text_width))
            self._fixed[post.seq] = fixed
        live = tuple(column for column in columns if column.key in LIVE)
        segments = [*fixed[1], *_segments(post, live, text_width)]
        self._rows[post.seq] = (numbers, width, segments)
        return segments

    def render_lines(self, crop: Region) -> list[Strip]:
        """Work out the row styles once per frame, then draw the lines."""
        base = self.rich_style
        style = self.get_component_rich_style
        self._styles = (
            base + style("feed--header"),
            base + style("feed--even-row"),
            base + style("feed--odd-row"),
            style("feed--cursor"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        header, even, odd, cursor = self._styles
        if y == 0:
            if self._header is None or self._header[0] != width:
                self._header = (width, list(self._header_line().render(self.app.console)))
            return Strip(Segment.apply_style(self._header[1], header)).adjust_cell_length(width, header)
        row = round(self.scroll_y) + y - 1
        if row >= self._count:
            return Strip.blank(width, odd)
        post = self._posts[self._count - 1 - row]
        style = odd if row % 2 else even
        post_style = cursor if row == self.cursor_row else None
        key = (post.seq, shown_numbers(post), width, style, post_style)
        strip = self._strips.get(key)
        if strip is None:
            strip = Strip(Segment.apply_style(self._row_segments(post), style, post_style))
            strip = strip.adjust_cell_length(width, style + post_style if post_style else style).simplify()
            self._strips[key] = strip
        return strip

    def on_resize(self, event: events.Resize) -> None:
        self._set_row_count(self._count)
        self.refresh()

    def _set_row_count(self, count: int) -> None:
        """Size the scrollable area to ``count`` rows and the header, without a new layout of the screen
        unless the scrollbar comes or goes."""
        self._count = count
        size = Size(self.scrollable_content_region.width, count + 1)
        if size == self.virtual_size:
            return
        scrollbar = self.show_vertical_scrollbar
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)
        if self.show_vertical_scrollbar != scrollbar:
            self.refresh(layout=True)

    # --- the cursor ---------------------------------------------------------

    def move_cursor(self, row: int, *, scroll: bool = False) -> None:
        """Put the cursor on ``row`` (clamped to the feed) and scroll it into view if it moved
        (or if ``scroll``)."""
        if not self._count:
            return
        row = max(0, min(self._count - 1, row))
        old = self.cursor_row
        if row != old:
            self._cursor = self._count - 1 - row
            self.refresh_line(old + 1)  # line 0 is the header
            self.refresh_line(row + 1)
            self._post_highlighted()
        if row != old or scroll:
            self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        page = self._page_height
        row, top = self.cursor_row, round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + page:
            self.scroll_to(y=row - page + 1, animate=False)

    @property
    def _page_height(self) -> int:
        """Rows on screen (the header takes a line)."""
        return max(1, self.scrollable_content_region.height - 1)

    def _post_highlighted(self) -> None:
        self.post_message(self.Highlighted(self, self.selected_post_id))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._page_height)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._page_height)

    def action_cursor_top(self) -> None:
        self.move_cursor(0, scroll=True)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(self._count - 1, scroll=True)

    def action_select_cursor(self) -> None:
        post_id = self.selected_post_id
        if post_id is not None:
            self.post_message(self.Selected(self, post_id))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the row; a click on the cursor's row selects it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = round(self.scroll_y) + offset.y - 1
        if row >= self._count:
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row)
