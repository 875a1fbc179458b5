"""The selected post in full, with what the brand has done about it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...engine import Post, Response, Session
from ..display import compact, post_status, sentiment_icon, sentiment_style


class PostDetail(Static):
    """Shows one post and the brand's responses to it; redrawn only when something shown changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[object, ...] | None = None
        self._lines: int | None = None  # lines the shown post takes, once known

    def show(self, post: Post | None, session: Session) -> None:
        responses = session.responses_to(post.id) if post is not None else []
        shown = None if post is None else (post.id, post.likes, post.shares, post.status, len(responses))
        if shown == self._shown and self._shown is not None:
            return
        # the same post with new numbers usually keeps its height: then no new layout is needed
        same_post = shown is not None and self._shown is not None and self._shown[0::4] == shown[0::4]
        self._shown = shown
        if post is None:
            self.update(Text("Select a post in the feed (↑/↓).", style="grey62"))
            return
        detail = Text.assemble(
            sentiment_icon(post.sentiment),
            " ",
            (post.author, "bold"),
            " ",
            (post.handle, sentiment_style(post.sentiment)),
            (f" · {compact(post.followers)} followers · {post.sentiment.value} · minute {post.minute}\n", "grey62"),
            (post.text, "strike grey50" if post.hidden else ""),
            "\n",
            (f"{post.likes:,} likes · {post.shares:,} shares · reach {post.reach:,}  ", "grey62"),
            post_status(post),
        )
        if responses:
            detail.append("\n\nYour responses\n", style="bold")
            for response in responses:
                detail.append_text(describe_response(response))
                detail.append("\n")
        lines = len(detail.wrap(self.app.console, max(1, self.content_region.width)))
        self.update(detail, layout=not same_post or lines != self._lines)
        self._lines = lines


def describe_response(response: Response) -> Text:
    """``m 12  reply: "Maya, we are so sorry ..."``."""
    line = Text(f"m{response.minute:>3}  ", style="grey62")
    line.append(response.action.label, style="bold")
    if response.channel:
        line.append(f" by {response.channel.label}")
    if response.role:
        line.append(f" to {response.role.label}")
    if response.text:
        line.append(f': "{response.text}"')
    return line
