"""Do engine changes keep every run identical? Prints a digest of scripted mixed runs.

Each shipped scenario is played over several seeds, both as shipped and as a long busy
variant (many posts that go cold), by a scripted player who mixes every kind of action,
good and bad, on new and old posts. The digest holds the ending, the fired branches,
the scorecard with its moments, the mood and every post's numbers and status.

Run it on two versions of the code and compare the output::

    PYTHONHASHSEED=1 python benchmarks/same_results.py > after.json
    PYTHONHASHSEED=1 PYTHONPATH=/path/to/old/checkout python benchmarks/same_results.py > before.json
    cmp before.json after.json

Fix ``PYTHONHASHSEED``: a reply's quality is summed over a frozenset of signals, so its
last bit (and so the mood's) can differ between two processes of the very same code.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
from pathlib import Path

from crisis_sim.engine import Action, Channel, Command, ResponseError, Role, Session, load_scenario, score_session

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(1, 7)

# (action, text, channel, role): kind replies, bad replies that backfire, and the rest.
SCRIPT: tuple[tuple[Action, str, Channel | None, Role | None], ...] = (
    (Action.REPLY, "{first}, we're so sorry, that's on us. Can we DM you to put it right?", None, None),
    (Action.IGNORE, "", None, None),
    (Action.REPLY, "Calm down, you are wrong and this is fake news.", None, None),
    (Action.OFFLINE, "We've emailed you.", Channel.EMAIL, None),
    (Action.APOLOGY, "We are sorry. We got this wrong and we are fixing it today.", None, None),
    (Action.ESCALATE, "", None, Role.PR_LEAD),
    (Action.HIDE, "", None, None),
    (Action.STATUS_UPDATE, "Update: we are investigating and will report back within the hour.", None, None),
    (Action.HOLD_STATEMENT, "", None, None),
    (Action.REPLY, "Whatever. Not our problem, read the terms.", None, None),
)


def play(scenario, seed: int) -> dict:
    session = Session(scenario, seed=seed)
    picker = random.Random(seed * 7919)
    turn = 0
    while not session.finished:
        session.advance(1)
        if session.finished or session.minute % 4:
            continue
        action, text, channel, role = SCRIPT[turn % len(SCRIPT)]
        turn += 1
        visible = [p for p in session.posts if not p.hidden]
        if not visible:
            continue
        # new posts, old (often cold) posts and the scripted story posts all get answered
        post = picker.choice([visible[-1], visible[0], picker.choice(visible)])
        target = None if action in (Action.STATUS_UPDATE, Action.HOLD_STATEMENT) else post.id
        first = post.author.split()[0]
        with contextlib.suppress(ResponseError):
            session.respond(Command(action, target, text.format(first=first), channel, role))
    card = score_session(session)
    return {
        "ending": session.ending.id if session.ending else None,
        "minute": session.minute,
        "fired": session.fired,
        "mood": repr(session.mood),
        "overall": card.overall,
        "scores": {str(c): card[c] for c in card.categories},
        "moments": [[m.minute, str(m.category), m.points, m.text, m.rule] for m in card.moments],
        "posts": [[p.id, p.minute, p.sentiment.value, p.likes, p.shares, p.reach, str(p.status.value)] for p in session.posts],
        "notices": [n.text for n in session.notices],
    }


def main() -> int:
    digest = {}
    for path in sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.endswith(".test.yaml")):
        shipped = load_scenario(path)
        busy = shipped.model_copy(update={"duration_minutes": 600, "crowd_rate": 2.0})
        for name, scenario in (("shipped", shipped), ("busy", busy)):
            for seed in SEEDS:
                digest[f"{path.stem}/{name}/{seed}"] = play(scenario, seed)
    json.dump(digest, sys.stdout, indent=0, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
