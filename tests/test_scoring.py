"""The scorer: every rule earns or costs the points rules.yaml says, with its explanation."""

from __future__ import annotations

import pytest

from crisis_sim.engine import Action, Channel, Command, ReplyContext, Scenario, Session, load_rules, read_reply, score_session
from crisis_sim.engine.scoring import Scorecard

SORRY = "Maya, we're so sorry. That should never have happened and it's on us. Can we call you today?"


def card_after(session: Session) -> Scorecard:
    session.finish()
    return score_session(session)


def rules_fired(card: Scorecard) -> list[str]:
    return [m.rule for m in card.moments]


def moment(card: Scorecard, rule: str):
    [found] = [m for m in card.moments if m.rule == rule]
    return found


@pytest.mark.parametrize(
    ("reply_at", "rule", "points"),
    [(5, "first_response_fast", 20), (40, "first_response_ok", 5), (61, "first_response_late", -20)],
)
def test_first_response_speed(mini: Scenario, reply_at: int, rule: str, points: int) -> None:
    longer = mini.model_copy(update={"duration_minutes": 90})
    session = Session(longer, seed=1)
    session.advance(reply_at)
    session.respond(Command(Action.REPLY, "complaint", "Maya, that sounds awful."))
    card = card_after(session)
    first = moment(card, rule)
    assert (first.minute, first.points, first.category) == (reply_at, points, "speed")
    assert f"minute {reply_at}" in first.text


def test_silence_costs_speed_and_empathy(session: Session) -> None:
    card = card_after(session)
    fired = rules_fired(card)
    assert {"no_response", "no_status", "never_engaged", "no_apology"} <= set(fired)
    assert "high_reach_unanswered" in fired
    assert card["speed"] < 20 and card["empathy"] <= 20 and card["honesty"] <= 25
    assert card.overall < 25


@pytest.mark.parametrize(
    ("delay", "rule", "verdict", "points"),
    [(8, "high_reach_fast", "fast", 6), (42, "high_reach_ok", "inside the hour", 1), (70, "high_reach_late", "late", -8)],
)
def test_answer_time_to_a_widely_seen_post_is_named(mini: Scenario, delay: int, rule: str, verdict: str, points: int) -> None:
    session = Session(mini.model_copy(update={"duration_minutes": 90}), seed=7)
    session.advance(delay)
    session.respond(Command(Action.REPLY, "complaint", "Maya, we hear you."))
    answer = moment(card_after(session), rule)
    assert answer.text.startswith("Answered @mayalopez (")
    assert answer.text.endswith(f"after {delay} min: {verdict}")
    assert answer.points == points


def test_good_play_beats_bad_play_in_every_category(mini: Scenario) -> None:
    good = Session(mini, seed=2)
    good.advance(3)
    good.respond(Command(Action.APOLOGY, "complaint", SORRY))
    good.respond(Command(Action.OFFLINE, "complaint", "Maya, calling you now.", channel=Channel.PHONE))
    good.advance(8)
    good.respond(Command(Action.REPLY, "friend", "Sam, I'm sorry that happened to you too, that's not okay. Could you email us?"))
    good.respond(Command(Action.STATUS_UPDATE, text="Update: we have apologised to Maya and are retraining the morning team."))
    good.advance(30)
    good.respond(Command(Action.STATUS_UPDATE, text="Update: the new coffee machine thermometer is in; thanks for your patience."))
    bad = Session(mini, seed=2)
    bad.advance(3)
    bad.respond(Command(Action.REPLY, "complaint", "This never happened. You are lying."))
    bad.respond(Command(Action.HIDE, "complaint"))
    good_card, bad_card = card_after(good), card_after(bad)
    for category in ("speed", "empathy", "honesty"):
        assert good_card[category] > bad_card[category], category
    assert good_card.overall >= 70 and bad_card.overall <= 30
    assert {"taken_offline", "status_first", "kept_informed"} <= set(rules_fired(good_card))
    assert "no_apology" not in rules_fired(good_card)
    assert {"denied", "attacked_them", "hid_post", "no_apology"} <= set(rules_fired(bad_card))
    denied = moment(bad_card, "denied").text
    assert denied.startswith("Reply to @mayalopez at minute 3: honesty ") and "(attack_accuser)" in denied
    assert 'denied what happened "never happened"' in denied and 'blamed or attacked the person "lying"' in denied
    assert bad_card.replies[0].honesty <= 10
    assert moment(bad_card, "hid_post").points == -25


def test_scenario_branch_points_show_in_the_debrief(session: Session) -> None:
    session.respond(Command(Action.REPLY, "complaint", "Liar."))
    card = card_after(session)
    branch = moment(card, "scenario")
    assert (branch.category, branch.points, branch.text) == ("honesty", -10, "Called a regular a liar in public")


def test_copy_paste_costs_empathy(session: Session) -> None:
    session.advance(10)
    text = "We are sorry to hear this, please send us a DM with your details."
    session.respond(Command(Action.REPLY, "complaint", text))
    session.respond(Command(Action.REPLY, "friend", text))
    card = card_after(session)
    pasted = moment(card, "copy_paste")
    assert pasted.text.startswith(f"Reply to {session.post('friend').handle} at minute 10: empathy ")
    assert 'pasted from an earlier reply "we are sorry to hear this' in pasted.text
    first, second = [m for m in card.moments if m.category == "empathy" and m.text.startswith("Reply to")]
    assert second.points < first.points


def test_non_apology_is_not_an_apology(session: Session) -> None:
    session.respond(Command(Action.REPLY, "complaint", "We're sorry you feel that way."))
    card = card_after(session)
    fired = rules_fired(card)
    assert {"pseudo_apology", "no_apology"} <= set(fired)
    assert "a pseudo-apology" in moment(card, "pseudo_apology").text


def test_false_claim_costs_honesty(session: Session) -> None:
    session.respond(Command(Action.REPLY, "complaint", "We checked: nobody laughed at you."))
    card = card_after(session)
    assert 'said something untrue here "nobody laughed"' in moment(card, "false_claim").text


def test_taking_offline_late_earns_less(session: Session) -> None:
    session.advance(45)
    session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.EMAIL))
    card = card_after(session)
    slow = moment(card, "taken_offline_slow")
    assert slow.points == 2 and "by email, but only after 45 min" in slow.text


def test_broadcasting_instead_of_talking(session: Session) -> None:
    for minute in (5, 20, 35):
        session.advance(minute - session.minute)
        session.respond(Command(Action.STATUS_UPDATE, text=f"Update at {minute}: we are looking into it."))
    card = card_after(session)
    habit = moment(card, "broadcast_habit")
    assert habit.text.startswith("3 broadcasts but 0 personal replies")


def test_long_silence_between_status_updates(session: Session) -> None:
    longer = session.scenario.model_copy(update={"duration_minutes": 150})
    session = Session(longer, seed=7)
    session.advance(10)
    session.respond(Command(Action.STATUS_UPDATE, text="We are looking into it."))
    card = card_after(session)
    gap = moment(card, "status_gap")
    assert gap.text == "No status update between minute 10 and minute 150"


def test_caps_limit_repeated_points(session: Session) -> None:
    session.advance(10)
    for channel in (Channel.PHONE, Channel.EMAIL, Channel.DM) * 3:
        session.respond(Command(Action.OFFLINE, "complaint", channel=channel))
    card = card_after(session)
    offline = [m for m in card.moments if m.rule == "taken_offline"]
    assert len(offline) == 9
    assert sum(m.points for m in offline) == load_rules().scoring.rules["taken_offline"].cap


def test_scores_stay_between_0_and_100_and_overall_is_weighted(session: Session) -> None:
    for _ in range(6):
        session.respond(Command(Action.REPLY, "complaint", "Liar, this never happened, your fault."))
    card = card_after(session)
    assert all(0 <= card[c] <= 100 for c in ("speed", "empathy", "honesty"))
    assert card["honesty"] == 0
    weights = load_rules().scoring.weights
    expected = sum(card[c] * w for c, w in weights.items()) / sum(weights.values())
    assert card.overall == round(expected)


def test_every_moment_quotes_a_rule_explanation(session: Session) -> None:
    session.respond(Command(Action.REPLY, "complaint", SORRY))
    card = card_after(session)
    for m in card.moments:
        assert "{" not in m.text and "?" not in m.text.replace("?\"", ""), m.text


def test_a_mistake_shows_even_in_an_otherwise_perfect_run(mini: Scenario) -> None:
    def play(slip: bool) -> Scorecard:
        session = Session(mini, seed=2)
        session.advance(10)
        session.respond(Command(Action.APOLOGY, "complaint", "Maya, a stone cold coffee and then a laugh: that must have been awful. We're sorry, that's on us."))
        session.respond(Command(Action.OFFLINE, "complaint", "Maya, we hear you. Can we call you this morning?", channel=Channel.PHONE))
        session.respond(Command(Action.REPLY, "complaint", "Thank you for telling us, Maya; you are right to be angry."))
        session.respond(Command(Action.APOLOGY, "friend", "Sam, sorry it happened to you as well. Not okay, and on us."))
        session.respond(Command(Action.OFFLINE, "friend", "Sam, we'd like to hear what happened to you last week: could you email us?", channel=Channel.EMAIL))
        if slip:
            session.respond(Command(Action.REPLY, "friend", "Sam, you are making things up."))
        return card_after(session)

    perfect, slipped = play(slip=False), play(slip=True)
    assert perfect["empathy"] == 100
    assert slipped["empathy"] < 100 and slipped.overall < perfect.overall
    assert any(m.rule == "attacked_them" and m.points < 0 for m in slipped.moments)


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("The responsibility lies with us.", set(), {"accusation"}),
        ("We're not sorry.", {"denial"}, {"apology"}),
        ("That is on us, Maya.", {"ownership"}, set()),
        ("Stop making things up.", {"accusation"}, set()),
        ("I didn\u2019t happen to see it.", set(), {"denial", "accusation", "apology"}),
    ],
)
def test_the_reader_reads_tricky_phrases(text: str, present: set[str], absent: set[str]) -> None:
    signals = read_reply(text, ReplyContext(author="Maya Lopez"), load_rules()).signals
    assert present <= signals and not (absent & signals)


# --- what the trainer would say about whole runs ---------------------------------------------


def test_an_abusive_run_scores_below_doing_nothing(mini: Scenario) -> None:
    idle = Session(mini, seed=3)
    abusive = Session(mini, seed=3)
    abusive.advance(2)
    abusive.respond(Command(Action.REPLY, "complaint", "Get over it, Maya. Nobody laughed and your coffee was fine."))
    abusive.advance(10)
    abusive.respond(Command(Action.REPLY, "friend", "Stop making things up, you trolls."))
    abusive.respond(Command(Action.STATUS_UPDATE, text="Some customers are spreading lies about our baristas. We stand by our team."))
    idle_card, abusive_card = card_after(idle), card_after(abusive)
    assert abusive_card.overall < idle_card.overall
    for category in ("empathy", "honesty"):
        assert abusive_card[category] <= idle_card[category], category


def test_a_post_from_the_last_minutes_is_not_charged_as_never_answered(mini: Scenario) -> None:
    session = Session(mini, seed=2)
    session.advance(59)
    session.respond(Command(Action.APOLOGY, "complaint", "Maya, we're sorry, that cold coffee and the laugh were on us."))
    late = [p for p in session.posts if p.minute >= 50 and p.sentiment.is_negative]
    for post in late:
        post.shares += 10_000  # widely seen, but posted too late for anyone to answer
    card = card_after(session)
    unanswered = [m.text for m in card.moments if m.rule == "high_reach_unanswered"]
    assert not any(post.handle in text for post in late for text in unanswered)


def test_a_perfect_run_can_reach_100_honesty(mini: Scenario) -> None:
    session = Session(mini, seed=2)
    session.advance(2)
    session.respond(Command(Action.APOLOGY, "complaint", "Maya, we got this wrong: your coffee was cold and our barista laughed at you. That's on us, and we're sorry. We'll refund you and retrain the team this week."))
    session.respond(Command(Action.STATUS_UPDATE, text="Update: a regular was served a cold coffee and laughed at this morning. That was wrong and it's on us; we're sorry. We are retraining the morning team today and will post again by 11am."))
    session.advance(10)
    session.respond(Command(Action.APOLOGY, "friend", "Sam, that should never have happened to you either, and it's on us. We're sorry. Could we call you today to make it right?"))
    session.respond(Command(Action.STATUS_UPDATE, text="11am update: we have apologised to Maya and Sam and refunded them. That was our failure. Next update by 2pm."))
    session.advance(20)
    session.respond(Command(Action.STATUS_UPDATE, text="2pm update: the new coffee thermometer is in and the team is retrained. We let our regulars down and we're sorry. Next update tomorrow morning."))
    card = card_after(session)
    assert card["honesty"] == 100


def test_the_apology_button_adds_nothing_the_words_do_not_earn(mini: Scenario) -> None:
    def play(action: Action, text: str) -> Scorecard:
        session = Session(mini, seed=2)
        session.advance(3)
        session.respond(Command(action, "complaint", text))
        return card_after(session)

    hollow = "Thanks for your feedback, we value all our customers."
    assert play(Action.APOLOGY, hollow)["honesty"] == play(Action.REPLY, hollow)["honesty"]
    assert "no_apology" in rules_fired(play(Action.APOLOGY, hollow))
    owned = "Maya, that's on us: the coffee was cold and we laughed. We're sorry."
    assert play(Action.REPLY, owned)["honesty"] == play(Action.APOLOGY, owned)["honesty"]
    assert "no_apology" not in rules_fired(play(Action.REPLY, owned))


def test_the_scorecard_reviews_each_reply(session: Session) -> None:
    session.advance(5)
    session.respond(Command(Action.REPLY, "complaint", "Mistakes were made."))
    session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.PHONE))
    [review] = card_after(session).replies
    assert (review.minute, review.handle, review.action, review.strategy) == (5, "@mayalopez", Action.REPLY, "none")
    assert review.honesty < 50 and any(r.rule == "passive_voice" and r.quote == "Mistakes were made" for r in review.reasons)
    assert "mistakes were made" in review.suggestion


def test_the_crowd_reacts_to_what_the_words_mean(mini: Scenario) -> None:
    def reaction(action: Action, text: str) -> tuple[float, int]:
        session = Session(mini, seed=2)
        session.advance(3)
        before = len(session.posts)
        response = session.respond(Command(action, "complaint", text))
        return response.quality, len(session.posts) - before

    good, _ = reaction(Action.REPLY, "Maya, that's on us: a stone cold coffee and a laugh. We're sorry. Can we call you today?")
    hollow, _ = reaction(Action.APOLOGY, "We apologise for any inconvenience.")
    abusive, screenshots = reaction(Action.REPLY, "Get over it, Maya. You are making this up.")
    assert good > 0.3 > hollow
    assert abusive <= -0.5 and screenshots >= 1, "a reply this bad is screenshotted and spreads"


def test_the_debrief_names_a_status_update_as_one(mini: Scenario) -> None:
    session = Session(mini, seed=1)
    session.respond(Command(Action.REPLY, "complaint", "Maya, that sounds awful. We got your order wrong and we're sorry."))
    session.respond(Command(Action.STATUS_UPDATE, text="Update: the coffee machine is fixed. Next update by 10am."))
    card = card_after(session)
    assert [review.title for review in card.replies] == [f"Reply to {session.post('complaint').handle}", "Status update"]
    texts = [m.text for c in card.categories.values() for m in c.moments if m.rule != "scenario"]
    assert any(t.startswith("Status update at minute") for t in texts)
    assert not any("to everyone at minute" in t for t in texts)
