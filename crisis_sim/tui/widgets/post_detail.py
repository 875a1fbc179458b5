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

    def show(self, post: Post | None, session: Session) -> None:
        responses = session.responses_to(post.id) if post is not None else []
        shown = None if post is None else (post.id, post.likes, post.shares, post.status, len(responses))
        if shown == self._shown and self._shown is not None:
            return
        self._shown = shown
        if post is None:
            self._update(Text("Select a post in the feed (↑/↓).", style="grey62"))
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
        self._update(detail)

    def _update(self, content: Text) -> None:
        """Show ``content``; lay the screen out again only if it changes the box's height."""
        self.update(content, layout=False)
        width = self.content_region.width
        if not width or self.get_content_height(self.container_size, self.app.size, width) != self.content_region.height:
            self.refresh(layout=True)


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
