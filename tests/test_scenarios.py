"""The shipped scenarios, played headless: good, bad and idle trainees.

Each scenario is played by scripted trainees. A good trainee answers fast,
personally and honestly, takes the main complainant offline and keeps people
updated; a bad one denies, blames the customer and hides posts; an idle one
does nothing. The tests pin the endings each of them reaches and how their
scores compare, so a change to a scenario (or to the engine's balance) that
breaks the lesson shows up here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crisis_sim.cli import main as cli_main
from crisis_sim.engine import Action, Channel, Command, Role, Scenario, Scorecard, Session, load_scenario, load_scenarios, score_session
from crisis_sim.engine.scenario import Sentiment

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
AIRLINE = SCENARIO_DIR / "airline-passenger-removal.yaml"
CONSIGNMENT = SCENARIO_DIR / "consignment-store-feud.yaml"

SEEDS = (1, 7, 42)


# --- a scripted trainee ----------------------------------------------------------


class Trainee:
    """Plays a session: waits for beats and, if attentive, answers the crowd in between."""

    def __init__(
        self,
        session: Session,
        crowd_lines: tuple[list[str], list[str]] | None = None,
        detours: dict[int, Callable[[Trainee], None]] | None = None,
    ) -> None:
        self.session = session
        self.crowd_lines = crowd_lines
        self.detours = dict(detours or {})
        self.crowd_replies = 0
        self.last_crowd_reply = 0

    def wait_until(self, minute: int) -> None:
        """Let time pass; an attentive trainee answers the loudest crowd complaint every 10 minutes."""
        while self.session.minute < minute and not self.session.finished:
            self.session.advance(1)
            detour = self.detours.pop(self.session.minute, None)
            if detour is not None and not self.session.finished:
                detour(self)
            if self.crowd_lines and self.session.minute - self.last_crowd_reply >= 10 and not self.session.finished:
                self.answer_loudest_complaint()
                self.last_crowd_reply = self.session.minute

    def answer_loudest_complaint(self) -> None:
        waiting = [p for p in self.session.posts if p.needs_answer and not p.scripted]
        if not waiting:
            return
        post = max(waiting, key=lambda p: (p.reach, p.id))
        openers, closers = self.crowd_lines
        n = self.crowd_replies
        first_name = post.author.split()[0]
        # Openers and closers cycle at different lengths, so no two replies repeat.
        self.do(Action.REPLY, post.id, f"{first_name}, {openers[n % len(openers)]} {closers[n % len(closers)]}")
        self.crowd_replies += 1

    def do(self, action: Action, post_id: str | None = None, text: str = "", **kwargs) -> None:
        if not self.session.finished:  # after a meltdown there is nothing left to do
            self.session.respond(Command(action, post_id, text, **kwargs))

    def play_out(self) -> Session:
        self.wait_until(self.session.scenario.duration_minutes)
        self.session.finish()
        return self.session


OPENERS = [
    "I'm so sorry, and you're right to be upset about this.",
    "thank you for telling us how this landed, and I'm sorry.",
    "that must have been awful to read, and we are sorry.",
    "I understand why you're angry. We got this wrong and I'm sorry.",
    "we hear you, and we apologise. This should not have happened.",
]

# --- the airline -------------------------------------------------------------------

AIRLINE_CLOSERS = [
    "Our team is with the passenger's family tonight.",
    "We are changing how we handle overbooked flights, starting now.",
    "No seated customer will be removed to make room for staff again.",
    "Our next update will be on this page within the hour.",
    "If you were on MA 1172, message us and we'll call you.",
    "We're covering his medical care in full.",
    "We owe everyone on that flight a proper explanation.",
]


def airline_good(session: Session, detours: dict[int, Callable[[Trainee], None]] | None = None) -> Session:
    t = Trainee(session, (OPENERS, AIRLINE_CLOSERS), detours)
    t.wait_until(3)
    t.do(Action.APOLOGY, "video", "Priya, we are so sorry. What happened to our customer on MA 1172 should never have happened and it is unacceptable. We got this wrong.")
    t.do(Action.OFFLINE, "video", "Priya, thank you for telling us. Could we call you? We want to reach him and his family tonight.", channel=Channel.PHONE)
    t.wait_until(8)
    t.do(Action.STATUS_UPDATE, text="Update on MA 1172: we are sorry. Our customer was removed by airport police after we overbooked the flight. That is our fault, and we are contacting him and everyone on board.")
    t.do(Action.REPLY, "row14", "Tom, thank you for telling us what you saw from 14C. You are right: a $400 voucher was not enough and calling the police should never have happened.")
    t.wait_until(16)
    t.do(Action.REPLY, "journalist", "Rachel, yes: MA 1172 was overbooked and our customer was hurt. We are sorry and we take full responsibility. Our press desk will call you before 8.")
    t.wait_until(19)
    t.do(Action.DECIDE, decision="confirm-disruptive", choice="refuse")
    t.wait_until(27)
    t.do(Action.APOLOGY, "row20", "Luis, I'm so sorry your kids had to see that. That must have been frightening. We'll get your family moving tonight.")
    t.wait_until(43)
    t.do(Action.APOLOGY, "celebrity", "Jordan, you're right that this is not a joke to us: he is 61 and he was hurt on our plane. We're sorry, and we're changing how we handle overbooking.")
    t.wait_until(55)
    t.do(Action.STATUS_UPDATE, text="7:35 pm: our customer is being treated and we have apologised to his family. From tonight no seated passenger will be removed to make room for crew.")
    t.wait_until(63)
    t.do(Action.REPLY, "news", "WCHX, we are sorry for what happened on MA 1172. The police should never have been called. We will join your 10 o'clock live.")
    t.wait_until(85)
    t.do(Action.ESCALATE, "memo", role=Role.CEO)
    t.do(Action.REPLY, "memo", "That memo was wrong. The man on MA 1172 was calm and he was hurt. This is on us, and our CEO is retracting it tonight.")
    t.wait_until(105)
    t.do(Action.OFFLINE, "family", "Ana, we are deeply sorry about your father. We would like to call you now, to listen and to cover his care.", channel=Channel.PHONE)
    t.wait_until(110)
    t.do(Action.STATUS_UPDATE, text="8:30 pm: we have spoken with Dr. Reyes's family and apologised to him. We are covering his medical care and reviewing our overbooking rules.")
    return t.play_out()


def airline_bad(session: Session) -> Session:
    t = Trainee(session)
    t.wait_until(8)
    t.do(Action.ESCALATE, "video", role=Role.LEGAL)
    t.wait_until(12)
    t.do(Action.REPLY, "video", "Our crew followed procedure. The passenger was disruptive and refused to leave his seat.")
    t.wait_until(20)
    t.do(Action.HIDE, "video")
    t.do(Action.HIDE, "row14")
    t.wait_until(28)
    t.do(Action.REPLY, "row20", "That's not true. He was asked politely. You should have seen what happened before the video started.")
    return t.play_out()


# --- the consignment store ------------------------------------------------------------

CONSIGNMENT_CLOSERS = [
    "Our owner is calling the moms who wrote to us today.",
    "We're retraining our counter team this week.",
    "Bring your bins back any time and the owner will price them with you.",
    "We'll post an update on this page before the end of the day.",
    "If we treated you badly too, message us and we'll call you.",
    "Every mom deserves respect at our counter, full stop.",
    "We're writing our buying rules down so nobody is surprised again.",
]


def consignment_good(session: Session) -> Session:
    t = Trainee(session, (OPENERS, CONSIGNMENT_CLOSERS))
    t.wait_until(4)
    t.do(Action.APOLOGY, "complaint", "Kayla, I'm so sorry. Laughing at your son's coat was not okay, and that's on us. You deserved respect at our counter.")
    t.do(Action.OFFLINE, "complaint", "Kayla, could I call you this morning? I'd like to listen and put this right with you personally. - Dana, owner", channel=Channel.PHONE)
    t.wait_until(12)
    t.do(Action.STATUS_UPDATE, text="A note from Dana, the owner: a mom was treated rudely at our counter yesterday. That should never have happened. I've apologised to her and I'm calling her today.")
    t.do(Action.REPLY, "stroller", "Jess, thank you for raising this. I'm sorry about how your stroller was handled. Could you message me so I can look into it?")
    t.wait_until(33)
    t.do(Action.REPLY, "radio", "Dave, thanks for having Kayla on. We were wrong in how we treated her and I'm sorry. I'd be glad to come on and say so myself.")
    t.do(Action.ESCALATE, "radio", role=Role.CEO)
    t.wait_until(52)
    t.do(Action.APOLOGY, "smoke", "Tamara, I'm sorry. Telling you your daughter's dresses smelled was hurtful and not okay. Please let me call you.")
    t.wait_until(60)
    t.do(Action.STATUS_UPDATE, text="Update from Dana: I spoke with Kayla this morning and apologised. We're re-pricing her bins together tomorrow, and we're writing down our buying rules.")
    t.wait_until(72)
    t.do(Action.REPLY, "update", "Kayla, thank you for asking people to be kind to our staff. You didn't have to. See you tomorrow, and we'll go through every item together.")
    t.wait_until(100)
    t.do(Action.REPLY, "moms-group", "Thank you for keeping the group civil. We got this wrong and we're sorry. Anyone who felt mistreated at our counter can call me directly.")
    t.wait_until(118)
    t.do(Action.STATUS_UPDATE, text="Afternoon update from Dana: Kayla's bins are re-priced, our counter team has new training, and I'm reading every message. Thank you for holding us to account.")
    return t.play_out()


def consignment_bad(session: Session) -> Session:
    t = Trainee(session)
    t.wait_until(10)
    t.do(Action.REPLY, "complaint", "This never happened. Our staff were polite and our offers follow policy. You're making this up.")
    t.wait_until(15)
    t.do(Action.HIDE, "stroller")
    t.wait_until(31)
    t.do(Action.REPLY, "radio", "Kayla is lying and you're giving her a platform. We did nothing wrong.")
    t.wait_until(42)
    t.do(Action.HIDE, "complaint")
    return t.play_out()


def idle(session: Session) -> Session:
    session.finish()
    return session


# name: (path, good play, bad play, good ending, bad ending, idle ending)
PLAYS: dict[str, tuple[Path, Callable[[Session], Session], Callable[[Session], Session], str, str, str]] = {
    "airline-passenger-removal": (AIRLINE, airline_good, airline_bad, "turned-around", "grounded", "silence"),
    "consignment-store-feud": (CONSIGNMENT, consignment_good, consignment_bad, "made-right", "closed-comments", "silence"),
}


def play(scenario_id: str, which: str, seed: int) -> tuple[Session, Scorecard]:
    path, good, bad, *_ = PLAYS[scenario_id]
    strategy = {"good": good, "bad": bad, "idle": idle}[which]
    session = strategy(Session(load_scenario(path), seed=seed))
    return session, score_session(session)


def snapshot(session: Session, card: Scorecard) -> tuple:
    """Everything a player sees and is scored on."""
    posts = [(p.id, p.minute, p.author, p.handle, p.followers, p.sentiment, p.text, p.shares, p.likes, p.hidden, p.answered_at) for p in session.posts]
    notices = [(n.minute, n.text) for n in session.notices]
    moments = [(m.minute, m.category, m.points, m.text) for m in card.moments]
    return posts, notices, moments, session.fired, session.ending.id if session.ending else None, round(session.mood, 9), card.overall


# --- the library ---------------------------------------------------------------------------


def test_every_shipped_scenario_validates() -> None:
    scenarios, errors = load_scenarios(SCENARIO_DIR)
    assert errors == []
    assert {s.id for s in scenarios} >= set(PLAYS)
    assert cli_main(["validate", *map(str, sorted(SCENARIO_DIR.glob("*.yaml")))]) == 0
    assert cli_main(["--scenarios", str(SCENARIO_DIR), "validate"]) == 0


@pytest.fixture(params=sorted(PLAYS))
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load_scenario(PLAYS[request.param][0])


def test_scenario_is_well_formed(scenario: Scenario) -> None:
    assert scenario.id in PLAYS
    assert 120 <= scenario.duration_minutes <= 180
    assert len(scenario.branches) >= 4
    assert len(scenario.endings) >= 3
    assert scenario.endings[-1].when is None
    scripted = [p for p in scenario.posts if p.author]
    assert len({p.author for p in scripted}) >= 5
    assert len({p.at for p in scenario.posts}) >= 5
    assert max(p.at for p in scenario.posts) >= scenario.duration_minutes // 2
    for sentiment in Sentiment:
        texts = scenario.templates.for_sentiment(sentiment)
        assert len(texts) >= 6 and len(set(texts)) == len(texts)
    assert scenario.false_claims and scenario.hold_statement
    # One ending is reached early through a branch: the disaster.
    early = {b.then.end for b in scenario.branches if b.then.end}
    assert early and all(e.when is None for e in scenario.endings if e.id in early)
    for branch in scenario.branches:
        if branch.then.message:
            assert len(branch.then.message) <= 120, f"{branch.id}: keep log lines short"


# --- good, bad and idle trainees ----------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", sorted(PLAYS))
def test_good_trainee_reaches_the_good_ending(scenario_id: str, seed: int) -> None:
    session, card = play(scenario_id, "good", seed)
    assert session.ending.id == PLAYS[scenario_id][3]
    assert session.minute == session.scenario.duration_minutes
    assert card.overall >= 80
    assert min(card["speed"], card["empathy"], card["honesty"]) >= 65
    crowd = [p for p in session.posts if not p.scripted]
    assert 15 <= len(crowd) <= 90, "the feed should be lively but not flooded"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", sorted(PLAYS))
def test_bad_trainee_melts_down_early(scenario_id: str, seed: int) -> None:
    session, card = play(scenario_id, "bad", seed)
    assert session.ending.id == PLAYS[scenario_id][4]
    assert session.minute < session.scenario.duration_minutes
    assert card["honesty"] <= 10
    assert card.overall <= 30
    assert any(m.rule == "scenario" and m.points < 0 for m in card.moments), "the scenario's own lessons are scored"
    _, good_card = play(scenario_id, "good", seed)
    assert good_card.overall >= card.overall + 50
    for category in ("speed", "empathy", "honesty"):
        assert good_card[category] > card[category]


@pytest.mark.parametrize("scenario_id", sorted(PLAYS))
def test_idle_trainee_gets_the_silent_ending_and_no_speed_points(scenario_id: str) -> None:
    session, card = play(scenario_id, "idle", 3)
    assert session.ending.id == PLAYS[scenario_id][5]
    assert session.minute == session.scenario.duration_minutes
    assert card["speed"] <= 10
    assert card.overall <= 30
    rules = {m.rule for m in card.moments}
    assert {"no_response", "no_status", "never_engaged", "no_apology"} <= rules
    # The silence itself is a beat in the log.
    assert len([n for n in session.notices if not n.text.startswith(("You ", "Ending:"))]) >= 3


@pytest.mark.parametrize("scenario_id", sorted(PLAYS))
@pytest.mark.parametrize("which", ["good", "bad", "idle"])
def test_same_seed_and_inputs_give_the_same_run(scenario_id: str, which: str) -> None:
    first = snapshot(*play(scenario_id, which, 11))
    again = snapshot(*play(scenario_id, which, 11))
    assert first == again
    other = snapshot(*play(scenario_id, which, 12))
    assert other[0] != first[0], "a different seed gives a different crowd"


# --- scenario-specific lessons ---------------------------------------------------------


def fresh(path: Path, seed: int = 5) -> Session:
    return Session(load_scenario(path), seed=seed)


def test_airline_legal_before_any_answer_costs_honesty_but_after_the_apology_it_does_not() -> None:
    lawyered = fresh(AIRLINE)
    lawyered.advance(4)
    lawyered.respond(Command(Action.ESCALATE, "video", role=Role.LEGAL))
    assert "lawyered-up" in lawyered.fired
    assert any("involuntary denied boarding" in n.text for n in lawyered.notices)

    sensible = fresh(AIRLINE)
    sensible.advance(4)
    sensible.respond(Command(Action.APOLOGY, "video", "Priya, we are so sorry. This should never have happened."))
    sensible.respond(Command(Action.ESCALATE, "video", role=Role.LEGAL))
    assert "lawyered-up" not in sensible.fired
    for session in (lawyered, sensible):
        assert session.decision_waiting().decision.id == "confirm-disruptive", "escalating to Legal brings Legal's question forward"
        session.respond(Command(Action.DECIDE, decision="confirm-disruptive", choice="refuse"))
        session.finish()
    cost = [m for m in score_session(lawyered).moments if m.rule == "scenario" and m.points < 0]
    assert [(m.category, m.points) for m in cost] == [("honesty", -10)]
    assert not [m for m in score_session(sensible).moments if m.rule == "scenario" and m.points < 0]


def test_airline_briefing_the_ceo_early_stops_the_memo_from_leaking() -> None:
    briefed = fresh(AIRLINE)
    briefed.advance(10)
    briefed.respond(Command(Action.ESCALATE, "video", role=Role.CEO))
    briefed.advance(100)
    assert "ceo-briefed" in briefed.fired and "memo-leaks" not in briefed.fired
    assert all(p.id != "memo" for p in briefed.posts)

    unbriefed = fresh(AIRLINE)
    unbriefed.advance(90)
    memo = unbriefed.post("memo")
    assert memo.minute == 84 and "belligerent" in memo.text
    unbriefed.respond(Command(Action.ESCALATE, "memo", role=Role.CEO))
    assert unbriefed.fired[-1] == "ceo-retracts"


def test_airline_a_non_apology_does_not_count_as_the_apology_priya_wanted() -> None:
    session = fresh(AIRLINE)
    session.advance(5)
    session.respond(Command(Action.APOLOGY, "video", "We're sorry if you were upset by what you saw."))
    assert "video-apology" not in session.fired


def test_airline_repeating_the_memo_is_a_false_claim_with_its_own_lesson() -> None:
    session = fresh(AIRLINE)
    session.advance(8)
    session.respond(Command(Action.REPLY, "row14", "Tom, the passenger was disruptive and the crew had no choice."))
    assert "echoed-memo" in session.fired
    session.finish()
    rules = [m.rule for m in score_session(session).moments if m.category == "honesty"]
    assert "false_claim" in rules and "scenario" in rules


@pytest.mark.parametrize("seed", SEEDS)
def test_airline_blaming_someone_rules_out_the_good_ending_even_when_the_mood_recovers(seed: int) -> None:
    def snap_at_the_comedian(t: Trainee) -> None:
        t.do(Action.REPLY, "celebrity", "Jordan, you're a comedian, not a witness. Stop spreading lies about our crew.")

    session = airline_good(fresh(AIRLINE, seed), detours={45: snap_at_the_comedian})
    assert "blamed-passenger" in session.fired
    assert session.mood > -0.35, "otherwise good handling keeps the crowd on side"
    assert session.ending.id == "blame-game"


def test_consignment_the_feud_escalates_step_by_step() -> None:
    session = fresh(CONSIGNMENT)
    session.advance(10)
    session.respond(Command(Action.REPLY, "complaint", "Kayla, you're making this up. Our staff were polite."))
    assert {"called-liar", "not-polite"} <= set(session.fired)
    assert "liar-on-air" not in session.fired, "the radio show is not on air yet"
    session.advance(25)
    assert "liar-on-air" in session.fired
    assert session.fired.index("called-liar") < session.fired.index("liar-on-air")
    dave = [p for p in session.posts if p.handle == "@bigdave_wmfl" and p.sentiment is Sentiment.ANGRY]
    assert dave and "liar" in dave[0].text
    assert not session.finished, "no meltdown without hiding her post"
    session.respond(Command(Action.HIDE, "complaint"))
    assert session.finished and session.ending.id == "closed-comments"


def test_consignment_calling_her_a_liar_and_then_apologising_still_ends_in_the_feud() -> None:
    t = Trainee(fresh(CONSIGNMENT, seed=7), (OPENERS, CONSIGNMENT_CLOSERS))
    t.wait_until(5)
    t.do(Action.REPLY, "complaint", "Kayla, with respect, you're making this up. Our buyer would never laugh at a customer.")
    t.wait_until(9)
    t.do(Action.APOLOGY, "complaint", "Kayla, I'm sorry. Our earlier reply was wrong and so was how you were treated. That's on us.")
    t.do(Action.OFFLINE, "complaint", "Kayla, may I call you this morning? I want to listen. - Dana", channel=Channel.PHONE)
    session = t.play_out()
    assert session.ending.id == "feud"
    _, good_card = play("consignment-store-feud", "good", 7)
    assert score_session(session).overall < good_card.overall


def test_consignment_calling_kayla_replaces_the_buy_slip_with_her_update() -> None:
    called = fresh(CONSIGNMENT)
    called.advance(5)
    called.respond(Command(Action.OFFLINE, "complaint", "Kayla, could I call you? I'd like to listen. - Dana", channel=Channel.PHONE))
    called.advance(80)
    assert called.post("update").sentiment is Sentiment.POSITIVE
    assert all(p.id != "receipt" for p in called.posts)

    silent = fresh(CONSIGNMENT)
    silent.advance(80)
    assert "$11.00" in silent.post("receipt").text
    assert all(p.id != "update" for p in silent.posts)


def test_consignment_a_lawyers_letter_before_any_apology_backfires() -> None:
    session = fresh(CONSIGNMENT)
    session.advance(3)
    mood = session.mood
    session.respond(Command(Action.ESCALATE, "complaint", role=Role.LEGAL))
    assert "lawyer-letter" in session.fired
    assert session.mood < mood - 0.1
    session.finish()
    assert any(m.rule == "scenario" and m.category == "honesty" and m.points < 0 for m in score_session(session).moments)


def test_airline_legal_asks_to_call_him_disruptive_and_confirming_echoes_the_memo() -> None:
    session = fresh(AIRLINE)
    session.advance(18)
    waiting = session.decision_waiting()
    assert waiting is not None and waiting.decision.id == "confirm-disruptive"
    session.respond(Command(Action.DECIDE, decision="confirm-disruptive", choice="confirm"))
    assert session.flags == {"said_disruptive": True}
    assert session.fired[-1] == "echoed-memo", "the same lesson as saying it yourself"
    session.finish()
    assert session.ending.id != "turned-around"
    assert ("honesty", -10) in [(m.category, m.points) for m in score_session(session).moments if m.rule == "scenario"]


def test_airline_leaving_legal_waiting_lets_legal_answer_for_you() -> None:
    session = fresh(AIRLINE)
    session.advance(27)
    assert "echoed-memo" not in session.fired
    session.advance(1)
    [made] = session.decisions_made
    assert (made.minute, made.option.id, made.by_default) == (28, "no-answer", True)
    assert "echoed-memo" in session.fired
    assert any(n.source == "confirm-disruptive" for n in session.facilitator_notes())


def test_airline_refusing_legal_earns_honesty_and_keeps_the_good_ending_open() -> None:
    session, card = play("airline-passenger-removal", "good", 7)
    [made] = session.decisions_made
    assert (made.option.id, made.by_default) == ("refuse", False)
    assert "echoed-memo" not in session.fired and session.ending.id == "turned-around"
    assert any(m.rule == "scenario" and m.points == 5 for m in card.moments)


def test_airline_an_apology_taken_back_is_its_own_lesson() -> None:
    walked_back = fresh(AIRLINE)
    walked_back.advance(4)
    walked_back.respond(Command(Action.APOLOGY, "video", "Priya, we are so sorry about what happened."))
    walked_back.respond(Command(Action.REPLY, "video", "To be clear, our crew did nothing wrong."))
    assert "walked-back" in walked_back.fired
    denied_first = fresh(AIRLINE)
    denied_first.advance(4)
    denied_first.respond(Command(Action.REPLY, "video", "To be clear, our crew did nothing wrong."))
    denied_first.respond(Command(Action.APOLOGY, "video", "Priya, we are so sorry about what happened."))
    assert "walked-back" not in denied_first.fired


@pytest.mark.parametrize("path", [AIRLINE, CONSIGNMENT], ids=lambda p: p.stem)
def test_an_idle_trainee_gets_hints_and_the_debrief_has_notes_and_model_replies(path: Path) -> None:
    session = fresh(path)
    session.finish()
    assert len(session.hints_given) >= 2
    assert session.facilitator_notes()
    assert [r for r in session.model_replies() if not r.responses]


def test_consignment_the_owner_calling_kayla_a_liar_on_air_ends_in_the_feud() -> None:
    session = fresh(CONSIGNMENT)
    session.advance(36)
    assert session.decision_waiting().decision.id == "call-the-radio"
    session.respond(Command(Action.DECIDE, decision="call-the-radio", choice="say-she-lied"))
    assert session.flags == {"called_her_liar_on_air": True}
    session.finish()
    assert session.ending.id == "feud"


def test_consignment_the_owner_calling_in_to_apologise_is_the_owner_on_air_branch() -> None:
    session = fresh(CONSIGNMENT)
    session.advance(37)
    session.respond(Command(Action.DECIDE, decision="call-the-radio", choice="call-and-apologise"))
    assert session.fired[-1] == "owner-on-air"
    assert any(p.handle == "@bigdave_wmfl" and p.sentiment is Sentiment.POSITIVE for p in session.posts)


def test_consignment_the_owner_does_not_ask_once_she_has_been_on_air() -> None:
    session, _ = play("consignment-store-feud", "good", 7)
    assert "owner-on-air" in session.fired
    assert "owner-wants-to-call" not in session.fired and not session.decisions_made
    idle_session = fresh(CONSIGNMENT)
    idle_session.advance(44)
    [made] = idle_session.decisions_made
    assert (made.minute, made.option.id, made.by_default) == (44, "talk-her-down", True)
