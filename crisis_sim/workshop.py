"""Workshop mode: ``crisis-sim serve`` publishes the game to web browsers with textual-serve.

Each browser tab runs its own ``crisis-sim play`` process (its own game and
player); every process saves to the same scoreboard, tagged with the
workshop's cohort. textual-serve is an optional extra, imported only here.
"""

from __future__ import annotations

import argparse
import html
import os
import secrets
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SERVE_EXTRA = "pip install 'crisis-sim[serve]'"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
FULL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Workshop full</title></head>
<body style="background:#0c181f;color:#eee;font-family:sans-serif;padding:3em">
<h1>Workshop full</h1><p>{detail}</p></body></html>
"""


class WorkshopError(Exception):
    """The workshop cannot be served as asked; the message says what to change."""


@dataclass(frozen=True)
class Workshop:
    """How one workshop is served: where it listens, who may join and how results are tagged."""

    host: str
    port: int
    public_url: str
    max_sessions: int
    token: str | None
    play_args: tuple[str, ...]
    db: str  # handed to every game through the environment, so no password shows in the process list

    @property
    def join_url(self) -> str:
        """The address trainees open; it carries the token when there is one."""
        base = self.public_url.rstrip("/") + "/"
        return f"{base}?token={self.token}" if self.token else base

    @property
    def websocket_path(self) -> str:
        """Where the page connects; the token is in the path because the page adds its own query string."""
        return f"/ws/{self.token}" if self.token else "/ws"

    @property
    def command(self) -> str:
        """The shell command textual-serve starts for each browser tab."""
        return shlex.join([sys.executable, "-m", "crisis_sim", *self.play_args])


def plan_workshop(
    *,
    host: str,
    port: int,
    public_url: str | None,
    max_sessions: int,
    token: str | None,
    db: Path | str,
    scenarios: Sequence[Path],
    cohort: str,
    speed: float | None,
) -> Workshop:
    """Check the options and build the workshop; :class:`WorkshopError` says what is wrong."""
    if not 1 <= port <= 65535:
        raise WorkshopError(f"--port must be between 1 and 65535, not {port}")
    if max_sessions < 1:
        raise WorkshopError(f"--max-sessions must be at least 1, not {max_sessions}")
    if host not in LOOPBACK_HOSTS and not public_url:
        raise WorkshopError(
            f"serving on --host {host} needs --public-url, the address other laptops use to reach this one, "
            f"e.g. --public-url http://192.0.2.10:{port} (without it the browser is sent to a websocket it cannot reach)"
        )
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise WorkshopError(f"--public-url must look like http://HOST:PORT, not {public_url!r}")
    if token is not None and (not token or not token.replace("-", "").replace("_", "").isalnum()):
        raise WorkshopError("--token may only use letters, digits, '-' and '_'")
    play_args = [*(option for folder in scenarios for option in ("--scenarios", str(folder))), "play", "--served"]
    if cohort:
        play_args += ["--cohort", cohort]
    if speed is not None:
        play_args += ["--speed", repr(speed)]
    url = public_url or f"http://{'[::1]' if host == '::1' else host}:{port}"
    return Workshop(host, port, url.rstrip("/"), max_sessions, token, tuple(play_args), str(db))


def new_token() -> str:
    """A join token that is short enough to read out in a room and too long to guess."""
    return secrets.token_urlsafe(9)


def build_server(workshop: Workshop) -> Any:
    """A textual-serve server that enforces the token and the session limit; needs ``crisis-sim[serve]``."""
    try:
        import aiohttp_jinja2
        import jinja2
        from aiohttp import web
        from rich.text import Text
        from textual_serve.server import Server
    except ImportError as error:
        raise WorkshopError(f"crisis-sim serve needs the serve extra ({error.name} is missing). Install it with: {SERVE_EXTRA}") from None

    class WorkshopServer(Server):
        """textual-serve with a join token, a cap on players and a websocket address that other laptops can reach."""

        def __init__(self) -> None:
            super().__init__(workshop.command, host=workshop.host, port=workshop.port, title="crisis-sim workshop", public_url=workshop.public_url)
            self.players = 0

        def allowed(self, token: str | None) -> bool:
            """Whether the join address carried the workshop's token (compared in constant time)."""
            return workshop.token is None or (token is not None and secrets.compare_digest(token, workshop.token))

        def full_page(self) -> web.Response:
            """The page a tab past the cap gets instead of a game."""
            detail = html.escape(f"All {workshop.max_sessions} places are taken. Try again when someone finishes.")
            return web.Response(text=FULL_PAGE.format(detail=detail), content_type="text/html", status=503)

        async def _make_app(self) -> web.Application:
            """textual-serve's routes, with the websocket behind the token and no file downloads."""
            app = web.Application()
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes(
                [
                    web.get("/", self.index, name="index"),
                    web.get(workshop.websocket_path, self.websocket, name="websocket"),
                    web.static("/static", self.statics_path, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            return app

        async def index(self, request: web.Request) -> web.StreamResponse:
            """The game page, for a tab with the token while there is room."""
            if not self.allowed(request.query.get("token")):
                return web.Response(text="This workshop needs the join address with its token.", status=403)
            if self.players >= workshop.max_sessions:
                return self.full_page()
            return await self.handle_index(request)

        async def websocket(self, request: web.Request) -> web.StreamResponse:
            """One game per connected tab, counted against the cap; the tab past it is closed with 'workshop full'."""
            if self.players >= workshop.max_sessions:
                refused = web.WebSocketResponse()
                await refused.prepare(request)
                await refused.close(code=1013, message=b"workshop full")
                return refused
            self.players += 1
            try:
                return await self.handle_websocket(request)
            finally:
                self.players -= 1

        async def on_startup(self, app: web.Application) -> None:
            """Print the join address to read out to the room."""
            self.console.print(f"crisis-sim workshop: up to {workshop.max_sessions} players. Press Ctrl+C to stop.")
            self.console.print(Text.assemble("Join address: ", (workshop.join_url, "bold")), highlight=False)

    return WorkshopServer()


def serve_command(args: argparse.Namespace) -> int:
    """``crisis-sim serve``: check the options, print the join address and serve until Ctrl+C."""
    from .paths import DB_ENV
    from .store import default_address, is_postgres

    try:
        workshop = plan_workshop(
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            max_sessions=args.max_sessions,
            token=new_token() if args.token == "" else args.token,
            db=address if is_postgres(address := args.db or default_address()) else Path(address).resolve(),
            scenarios=[Path(folder).resolve() for folder in args.scenarios or []],  # the built-in ones always load
            cohort=args.cohort,
            speed=args.speed,
        )
        server = build_server(workshop)
    except WorkshopError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    os.environ[DB_ENV] = workshop.db  # every game textual-serve starts inherits it
    server.serve()
    return 0
