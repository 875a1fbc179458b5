"""The session engine, driven headless: clock, spread, responses, branches, endings."""

from __future__ import annotations

import random

import pytest

from crisis_sim.engine import Action, Channel, Command, GameClock, ResponseError, Role, Scenario, Sentiment, Session
from crisis_sim.engine.scenario import Condition
from crisis_sim.engine.spread import Crowd, Post, poisson
from crisis_sim.engine.writer import PostWriter

APOLOGY = "Maya, we're so sorry. That should never have happened and it's on us. Can we call you today?"


def snapshot(session: Session) -> tuple:
    """Everything a player can see of a run."""
    posts = [(p.id, p.minute, p.author, p.handle, p.followers, p.sentiment, p.text, p.likes, p.shares, p.hidden) for p in session.posts]
    return posts, session.notices, round(session.mood, 9), session.ending


def play_script(scenario: Scenario, seed: int) -> Session:
    session = Session(scenario, seed=seed)
    session.advance(4)
    session.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    session.advance(7)
    session.respond(Command(Action.REPLY, "friend", "Sam, that's not okay and we're sorry it happened to you too. Could you email us?"))
    session.advance(4)
    session.respond(Command(Action.STATUS_UPDATE, text="Update: we have spoken to Maya and are retraining the morning team."))
    session.finish()
    return session


def test_same_seed_and_inputs_give_the_same_run(mini: Scenario) -> None:
    assert snapshot(play_script(mini, 11)) == snapshot(play_script(mini, 11))


def test_another_seed_gives_another_crowd(mini: Scenario) -> None:
    first, second = play_script(mini, 11), play_script(mini, 12)
    assert [p.handle for p in first.posts] != [p.handle for p in second.posts]


def test_scripted_posts_appear_on_time(session: Session) -> None:
    assert [p.id for p in session.posts] == ["complaint"]
    complaint = session.post("complaint")
    assert (complaint.author, complaint.handle, complaint.followers) == ("Maya Lopez", "@mayalopez", 5200)
    assert complaint.text.startswith("My coffee at Bean There was stone cold")
    session.advance(9)
    assert "friend" not in {p.id for p in session.posts}
    session.advance(1)
    friend = session.post("friend")
    assert (friend.minute, friend.author) == (10, "Sam Ortiz")
    assert friend.handle.startswith("@") and len(friend.handle) > 3


def test_crowd_posts_use_templates_and_faker(session: Session) -> None:
    session.advance(40)
    crowd = [p for p in session.posts if p.id.startswith("#")]
    assert crowd, "the crowd should have posted in 40 minutes"
    templates = {"angry": "laughed at a customer", "negative": "rude now", "neutral": "Anyone know", "positive": "always been lovely"}
    for post in crowd:
        assert templates[post.sentiment.value] in post.text
        assert "{" not in post.text
        assert post.author and post.handle.startswith("@") and post.followers >= 0


def test_posts_spread_over_time(session: Session) -> None:
    complaint = session.post("complaint")
    start = complaint.reach
    session.advance(20)
    assert complaint.shares > 0 and complaint.likes > 0
    assert complaint.reach > start


def test_ignored_anger_spreads_more_than_answered_anger(mini: Scenario) -> None:
    quiet, answered = Session(mini, seed=3), Session(mini, seed=3)
    answered.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    quiet.advance(45)
    answered.advance(45)
    assert quiet.post("complaint").shares > answered.post("complaint").shares
    assert quiet.mood < answered.mood
    assert quiet.crowd.outrage() > answered.crowd.outrage()


def test_outrage_brings_more_posts() -> None:
    calm = Crowd(mood=0.0, rng=random.Random(1))
    angry = Crowd(mood=0.0, rng=random.Random(1))
    angry.posts.append(Post("x", 0, "A B", "@ab", 100, Sentiment.ANGRY, "!!", heat=20.0))
    assert sum(angry.new_post_count(0.2) for _ in range(50)) > sum(calm.new_post_count(0.2) for _ in range(50))


def test_low_mood_makes_crowd_angrier() -> None:
    def angry_share(mood: float) -> float:
        crowd = Crowd(mood=mood, rng=random.Random(5))
        return sum(crowd.pick_sentiment() is Sentiment.ANGRY for _ in range(2000)) / 2000

    assert angry_share(-0.8) > angry_share(0.0) > angry_share(0.8)


def test_poisson_mean_is_about_right() -> None:
    rng = random.Random(0)
    for mean in (0.3, 4.0, 50.0):
        draws = [poisson(rng, mean) for _ in range(4000)]
        assert abs(sum(draws) / len(draws) - mean) < 0.1 * mean + 0.05
    assert poisson(rng, 0) == 0


def test_good_reply_cools_the_post_and_lifts_the_mood(session: Session) -> None:
    complaint = session.post("complaint")
    heat, mood = complaint.heat, session.mood
    response = session.respond(Command(Action.REPLY, "complaint", APOLOGY))
    assert {"reply", "apology", "ownership", "offline_offer", "personalised"} <= response.signals
    assert response.quality > 0.5
    assert complaint.heat < heat and session.mood > mood
    assert complaint.answered_at == 0


def test_accusing_reply_backfires(session: Session) -> None:
    complaint = session.post("complaint")
    heat = complaint.heat
    response = session.respond(Command(Action.REPLY, "complaint", "You are lying, nobody laughed at you."))
    assert {"accusation", "false_claim"} <= response.signals
    assert response.quality == -1.0
    assert complaint.heat > heat
    [screenshot] = [p for p in session.posts if "You are lying" in p.text]
    assert screenshot.sentiment is Sentiment.ANGRY and screenshot.heat >= 2


def test_hiding_a_post_backfires(session: Session) -> None:
    session.respond(Command(Action.HIDE, "complaint"))
    assert session.post("complaint").hidden
    backfire = session.posts[-1]
    assert "deleting complaints" in backfire.text and backfire.heat >= 2
    with pytest.raises(ResponseError, match="hidden"):
        session.respond(Command(Action.REPLY, "complaint", "Sorry!"))


def test_copy_paste_is_spotted(session: Session) -> None:
    session.advance(10)
    text = "We are sorry to hear this, please send us a DM with your details."
    first = session.respond(Command(Action.REPLY, "complaint", "@mayalopez " + text))
    second = session.respond(Command(Action.REPLY, "friend", "@samortiz " + text))
    assert "copy_paste" not in first.signals
    assert "copy_paste" in second.signals


def test_personal_reply_uses_name_or_details(session: Session) -> None:
    by_name = session.respond(Command(Action.REPLY, "complaint", "Maya, thank you for telling us."))
    assert "personalised" in by_name.signals
    by_detail = session.respond(Command(Action.REPLY, "complaint", "A stone cold coffee and a barista laughing is not okay."))
    assert "personalised" in by_detail.signals
    generic = session.respond(Command(Action.REPLY, "complaint", "Thanks for your feedback."))
    assert "personalised" not in generic.signals


@pytest.mark.parametrize(
    ("action", "kwargs", "message"),
    [
        (Action.REPLY, {"text": "hi"}, "Pick a post"),
        (Action.REPLY, {"post_id": "complaint", "text": "  "}, "Write something"),
        (Action.OFFLINE, {"post_id": "complaint"}, "DM, email or phone"),
        (Action.ESCALATE, {"post_id": "complaint"}, "legal, PR lead or CEO"),
        (Action.STATUS_UPDATE, {"post_id": "complaint", "text": "x"}, "goes to everyone"),
        (Action.REPLY, {"post_id": "nope", "text": "hi"}, "no post 'nope'"),
    ],
)
def test_invalid_responses_are_refused(session: Session, action: Action, kwargs: dict, message: str) -> None:
    with pytest.raises(ResponseError, match=message):
        session.respond(Command(action, **kwargs))
    assert session.responses == []


def test_hold_statement_defaults_to_the_scenario_text(session: Session, mini: Scenario) -> None:
    response = session.respond(Command(Action.HOLD_STATEMENT))
    assert response.text == mini.hold_statement
    assert response.post_id is None


def test_offline_and_escalation_are_logged(session: Session) -> None:
    session.respond(Command(Action.OFFLINE, "complaint", "Maya, we'll call you now.", channel=Channel.PHONE))
    session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.DM))
    session.respond(Command(Action.ESCALATE, "complaint", role=Role.PR_LEAD))
    assert [(n.text, n.from_player) for n in session.notices] == [
        ("You took @mayalopez offline by phone and posted a note saying so.", True),
        ("You took @mayalopez offline by DM.", True),
        ("You escalated @mayalopez's post to the PR lead.", True),
    ]


def test_check_says_whether_an_action_is_possible_before_writing(session: Session) -> None:
    assert session.check(Action.REPLY, "complaint") is session.post("complaint")
    assert session.check(Action.STATUS_UPDATE) is None
    session.respond(Command(Action.HIDE, "complaint"))
    with pytest.raises(ResponseError, match="hidden"):
        session.check(Action.REPLY, "complaint")


def test_scenario_events_are_told_apart_from_the_players_actions(session: Session) -> None:
    session.respond(Command(Action.REPLY, "complaint", "Liar."))
    assert [n.from_player for n in session.notices] == [True, False]


def test_branch_fires_once_on_a_signal(session: Session) -> None:
    session.respond(Command(Action.REPLY, "complaint", "Stop lying."))
    session.respond(Command(Action.REPLY, "complaint", "Liar."))
    assert session.fired == ["called-liar"]
    assert session.branch_scores[0].effect.points == -10
    assert sum("blogger" in n.text for n in session.notices) == 1


def test_branch_narrowed_to_a_post(session: Session) -> None:
    session.advance(10)
    session.respond(Command(Action.APOLOGY, "friend", "Sam, we're sorry."))
    assert "apology-lands" not in session.fired
    session.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    assert "apology-lands" in session.fired
    assert session.posts[-1].text == "Thanks Bean There, appreciate the apology."


def test_timed_branch_fires_only_while_unanswered(mini: Scenario) -> None:
    ignored, answered = Session(mini, seed=1), Session(mini, seed=1)
    answered.respond(Command(Action.REPLY, "complaint", "Maya, that's not okay. Can we DM you?"))
    ignored.advance(30)
    answered.advance(30)
    assert "silence" in ignored.fired
    assert "silence" not in answered.fired


def test_branch_can_end_the_game(session: Session) -> None:
    session.respond(Command(Action.ESCALATE, "complaint", role=Role.LEGAL))
    assert session.finished and session.ending.id == "meltdown"
    with pytest.raises(ResponseError, match="ended"):
        session.respond(Command(Action.REPLY, "complaint", "Sorry"))
    minute = session.minute
    session.advance(5)
    assert session.minute == minute


def test_escalating_to_another_role_does_not_end_it(session: Session) -> None:
    session.respond(Command(Action.ESCALATE, "complaint", role=Role.CEO))
    assert not session.finished


def test_timeout_picks_the_ending_by_mood(mini: Scenario) -> None:
    good = play_script(mini, 4)
    assert good.mood > 0 and good.ending.id == "recovered"
    idle = Session(mini, seed=4)
    idle.finish()
    assert idle.minute == mini.duration_minutes
    assert idle.mood <= 0 and idle.ending.id == "lingering"


def test_clock_runs_faster_than_real_time_and_pauses() -> None:
    clock = GameClock(minutes_per_second=2.0)
    assert clock.tick(0.3) == 0
    assert clock.tick(0.3) == 1  # 1.2 minutes owed: one whole minute, 0.2 carried
    assert clock.tick(1.0) == 2
    clock.paused = True
    assert clock.tick(10.0) == 0
    clock.paused = False
    assert clock.tick(0.4) == 1


def test_choosing_apology_with_a_non_apology_is_not_an_apology(session: Session) -> None:
    response = session.respond(Command(Action.APOLOGY, "complaint", "We're sorry you feel that way."))
    assert "non_apology" in response.signals and "apology" not in response.signals
    assert "apology-lands" not in session.fired


def test_condition_narrowed_to_a_channel(mini: Scenario) -> None:
    phone = Condition(did="offline", channel=Channel.PHONE)
    session = Session(mini, seed=1)
    session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.EMAIL))
    assert not session.holds(phone)
    session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.PHONE))
    assert session.holds(phone)


def test_crowd_templates_are_all_used_before_repeating(mini: Scenario) -> None:
    names = ["template-1", "template-2", "template-3"]
    templates = mini.templates.model_copy(update={"angry": names})
    writer = PostWriter(5, "Brand", templates, cities=["Springfield"])
    texts = [writer.text(Sentiment.ANGRY) for _ in range(3)]
    assert sorted(name for name in names for text in texts if name in text) == names
    assert writer.fill("in {city}") == "in Springfield"
