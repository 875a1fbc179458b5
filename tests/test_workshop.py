"""Workshop mode: ``crisis-sim serve`` in front of real HTTP, websocket and browser clients.

Each test starts the real server as a subprocess on a free loopback port and
stops it afterwards; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisis_sim.cli import main
from crisis_sim.config import GameConfig
from crisis_sim.store import open_store
from crisis_sim.workshop import SERVE_EXTRA, WorkshopError, build_server, plan_workshop

from .conftest import MINI

aiohttp = pytest.importorskip("aiohttp", reason="the serve extra is not installed: pip install -e '.[serve]'")
pytest.importorskip("textual_serve", reason="the serve extra is not installed: pip install -e '.[serve]'")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b[()][A-Z0-9]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plan(**changes: object) -> dict[str, object]:
    options: dict[str, object] = dict(
        host="127.0.0.1", port=8000, public_url=None, max_sessions=20, token=None,
        db=Path("s.db"), scenarios=[Path("pack")], cohort="", speed=None,
    )  # fmt: skip
    return options | changes


class Served:
    """A running ``crisis-sim serve``: its join address, websocket path and scoreboard."""

    def __init__(self, process: subprocess.Popen, port: int, token: str, db: Path) -> None:
        self.process, self.port, self.token, self.db = process, port, token, db

    @property
    def join_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    @property
    def websocket_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/{self.token}?width=120&height=40"


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    """Start ``crisis-sim serve`` with extra options; stopped when the test ends."""
    started: list[subprocess.Popen] = []
    library = tmp_path / "scenarios"
    library.mkdir()
    shutil.copy(MINI, library / "mini.yaml")

    def start(*options: str) -> Served:
        port, token, db = free_port(), "letmein", tmp_path / "workshop.db"
        command = [
            sys.executable, "-m", "crisis_sim", "--db", str(db), "--scenarios", str(library), "serve",
            "--port", str(port), "--token", token, *options,
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}", timeout=2).close()
                return Served(process, port, token, db)
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    pytest.fail(f"crisis-sim serve stopped: {process.stdout.read() if process.stdout else ''}")
                time.sleep(0.2)
        pytest.fail("crisis-sim serve did not answer within 30 s")

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_room_needs_a_public_url() -> None:
    with pytest.raises(WorkshopError, match="--public-url"):
        plan_workshop(**plan(host="0.0.0.0"))
    workshop = plan_workshop(**plan(host="0.0.0.0", public_url="http://192.0.2.10:8000/", token="t0k"))
    assert workshop.join_url == "http://192.0.2.10:8000/?token=t0k"
    assert workshop.websocket_path == "/ws/t0k"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"public_url": "ws://192.0.2.10:8000"}, "http://HOST:PORT"),
        ({"token": "a b"}, "letters, digits"),
        ({"max_sessions": 0}, "at least 1"),
        ({"port": 70000}, "between 1 and 65535"),
    ],
)
def test_bad_options_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(WorkshopError, match=re.escape(message)):
        plan_workshop(**plan(**change))


def test_cohort_and_paths_reach_every_game() -> None:
    workshop = plan_workshop(**plan(cohort="Class 'A'", speed=8.0))
    assert list(workshop.play_args[2:]) == ["play", "--served", "--cohort", "Class 'A'", "--speed", "8.0"]
    assert "--db" not in workshop.play_args and workshop.db == "s.db", "the scoreboard goes through the environment"
    assert shlex.split(workshop.command)[-3:] == ["Class 'A'", "--speed", "8.0"], "the cohort is quoted for the shell"


def test_a_served_game_hides_server_paths(tmp_path: Path) -> None:
    config = GameConfig(scenarios=[], db_path=tmp_path / "db" / "s.db", scenario_dir=tmp_path / "lib", served=True)
    shown = config.shown(f"Saved to the scoreboard ({tmp_path / 'db' / 's.db'}); skipped {tmp_path / 'lib' / 'x.yaml'}")
    assert str(tmp_path) not in shown
    assert shown == "Saved to the scoreboard (the workshop scoreboard); skipped the scenario folder/x.yaml"
    from crisis_sim.paths import user_data_dir

    kept = user_data_dir() / "unsaved-results" / "s.db.unsaved-1.json"
    assert config.shown(f"Your result is safe in {kept}") == "Your result is safe in the server's data folder/unsaved-results/s.db.unsaved-1.json"
    config.served = False
    assert config.shown(str(config.db_path)) == str(config.db_path)


def test_without_the_extra_serve_says_how_to_install(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    with pytest.raises(WorkshopError, match=re.escape(SERVE_EXTRA)):
        build_server(plan_workshop(**plan()))
    assert main(["serve"]) == 2
    assert SERVE_EXTRA in capsys.readouterr().err


def test_page_points_the_browser_at_the_public_url(serve) -> None:
    public = "http://workshop.invalid:9999"
    served = serve("--public-url", public)
    page = urllib.request.urlopen(served.join_url, timeout=10).read().decode()
    assert 'data-session-websocket-url="ws://workshop.invalid:9999/ws/letmein"' in page
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{served.port}/", timeout=10)
    assert refused.value.code == 403, "without the token the page is refused"
    assert str(served.db) not in page


async def read_screen(websocket, until: bytes, seen: bytearray, seconds: float = 30) -> bool:
    """Collect what the game draws until ``until`` shows (escape codes removed) or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            message = await websocket.receive(timeout=1)
        except TimeoutError:
            continue
        if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
            return False
        seen += message.data if isinstance(message.data, bytes) else message.data.encode()
        if until in ANSI.sub(b"", bytes(seen)):
            return True
    return False


async def test_a_websocket_player_reaches_the_start_screen_and_types(serve) -> None:
    served = serve("--max-sessions", "1")
    async with aiohttp.ClientSession() as client, client.ws_connect(served.websocket_url) as websocket:
        seen = bytearray()
        assert await read_screen(websocket, b"handle a social-media crisis", seen)
        assert b"Cold Coffee" in ANSI.sub(b"", bytes(seen))
        assert b"workshop.db" not in bytes(seen), "a served game never shows the server's paths"
        await websocket.send_json(["stdin", "Quinn"])
        assert await read_screen(websocket, b"Quinn", seen)
        loop = asyncio.get_running_loop()
        full = await loop.run_in_executor(None, fetch_status, served.join_url)
        assert full == (503, True), "the second tab is told the workshop is full"
        async with client.ws_connect(served.websocket_url) as second:
            refused = await second.receive(timeout=10)
        assert refused.type == aiohttp.WSMsgType.CLOSE and refused.extra == "workshop full"


def fetch_status(url: str) -> tuple[int, bool]:
    """HTTP status of ``url`` and whether the page says the workshop is full."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, b"Workshop full" in response.read()
    except urllib.error.HTTPError as error:
        return error.code, b"Workshop full" in error.read()


def test_a_browser_plays_to_the_debrief_and_the_result_is_saved(serve) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (apt-get install chromium; .ci/run installs it when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
    served = serve("--cohort", "Browser Class", "--speed", "4")  # 15 s of play: time to press the finish key
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            screen = BrowserScreen(page)
            page.goto(served.join_url)
            screen.wait_for("handle a social-media crisis")
            page.locator(".xterm-helper-textarea").focus()  # keys go to the terminal, not a clicked spot
            for field in ("Robin", "Owls"):  # wait for each echo: keys sent while the app starts can be lost
                retype_until_shown(page, screen, field)
                page.keyboard.press("Enter")
            page.keyboard.press("Enter")  # the first scenario
            screen.wait_for("to start the clock")
            press_until_shown(page, screen, "Enter", "Finish")
            press_until_shown(page, screen, "f", "Finish now?")  # the game ignores keys in its first moment
            press_until_shown(page, screen, "y", "Overall")  # the debrief; it saves in the background
            assert str(served.db).encode() not in screen.seen
            result = wait_for_saved_result(served.db)
        finally:
            browser.close()
    assert (result.player, result.team, result.cohort) == ("Robin", "Owls", "Browser Class")
    assert result.status == "finished" and result.scenario_title


def wait_for_saved_result(db: Path, seconds: float = 30):
    """The one result on the workshop's scoreboard, once the debrief has saved it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if db.exists():
            with open_store(db) as store:
                saved = store.results()
            if saved:
                [result] = saved
                return result
        time.sleep(0.3)
    pytest.fail(f"no result reached {db} within {seconds:.0f} s")


def press_until_shown(page, screen: BrowserScreen, key: str, text: str, tries: int = 5) -> None:
    """Press ``key`` until ``text`` shows: screens ignore keys for a moment after they appear."""
    for _ in range(tries):
        page.keyboard.press(key)
        if screen.shows(text, seconds=2):
            return
    pytest.fail(f"pressing {key!r} never showed {text!r} in the browser")


def retype_until_shown(page, screen: BrowserScreen, text: str, tries: int = 3) -> None:
    """Type ``text`` into the focused field, again if the app was not ready to read it yet."""
    for _ in range(tries):
        page.keyboard.type(text)
        if screen.shows(text, seconds=5):
            return
    pytest.fail(f"typing {text!r} never showed in the browser")


class BrowserScreen:
    """What the game sent to the page: xterm.js draws on a canvas, so read the websocket frames it receives."""

    def __init__(self, page) -> None:
        self.page = page
        self.seen = bytearray()
        page.on("websocket", lambda websocket: websocket.on("framereceived", self.add))

    def add(self, frame: bytes | str) -> None:
        self.seen += frame if isinstance(frame, bytes) else frame.encode()

    def shows(self, text: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text.encode() in ANSI.sub(b"", bytes(self.seen)):
                return True
            self.page.wait_for_timeout(200)
        return False

    def wait_for(self, text: str, seconds: float = 40) -> None:
        if self.shows(text, seconds):
            return
        shown = ANSI.sub(b"", bytes(self.seen))[-2000:].decode(errors="replace")
        pytest.fail(f"the browser never showed {text!r}; last it showed:\n{shown}")
