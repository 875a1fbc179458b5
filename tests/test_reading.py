"""The reader reads a reply the way a comms trainer would: by meaning, clause by clause, not by keywords."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisis_sim.engine import Action, ReplyContext, ReplyMemory, load_rules, load_scenario, read_reply
from crisis_sim.engine.reading import Reading

RULES = load_rules()
VIDEO = ReplyContext(
    brand="Meridian Air",
    at_fault=True,
    false_claims=("he was disruptive", "passenger was disruptive", "no one was hurt", "nobody laughed", "was not overbooked"),
    impossible_promises=("free flights for life",),
    post_text="They just DRAGGED a man off @meridianair MA 1172 because they overbooked. He's a doctor. His face is bleeding.",
    author="Priya Raman",
    post_id="video",
)


def read(text: str, context: ReplyContext = VIDEO) -> Reading:
    return read_reply(text, context, RULES)


def rules_fired(reading: Reading) -> set[str]:
    return {reason.rule for reason in reading.reasons}


# --- issue 6's table: what a trainer sees ------------------------------------------------------


def test_keyword_stuffing_is_not_a_reply() -> None:
    reading = read("sorry sorry understand frustrating our fault dm")
    assert "keyword_stuffing" in rules_fired(reading)
    assert not {"apology", "ownership", "empathy"} & reading.signals
    assert reading.empathy < 30 and reading.honesty < 50 and reading.overall < 30


def test_negated_empathy_is_dismissive() -> None:
    reading = read("I don't understand why you're upset about this.")
    assert "negated_empathy" in rules_fired(reading) and "empathy" not in reading.signals
    assert reading.empathy <= 20


def test_blaming_the_customer_is_not_empathy() -> None:
    reading = read("Your terrible attitude at our counter was unacceptable.")
    assert reading.strategy == "attack_accuser" and "accusation" in reading.signals
    assert not {"ownership", "empathy"} & reading.signals
    assert reading.empathy <= 20 and reading.honesty <= 20


def test_quoting_then_denying_is_a_denial() -> None:
    reading = read("You said it was 'our fault' but that's not what happened.")
    assert reading.strategy == "deny" and "denial" in reading.signals and "ownership" not in reading.signals
    assert {"quoted_back", "denied"} <= rules_fired(reading)


def test_apologising_for_a_euphemism_is_not_an_apology() -> None:
    reading = read("We apologize for having to re-accommodate these customers.")
    assert "apology" not in reading.signals and "non_apology" in reading.signals
    assert "euphemism" in rules_fired(reading) and reading.honesty <= 30


def test_passive_voice_is_evasive() -> None:
    reading = read("Mistakes were made and we regret that this occurred.")
    assert "passive_voice" in rules_fired(reading)
    assert not {"apology", "ownership"} & reading.signals and reading.honesty <= 30


def test_blaming_the_victim_and_the_officers_is_not_neutral() -> None:
    reading = read("The passenger was asked politely and refused, so officers had no choice.")
    assert reading.strategy == "justify" and "accusation" in reading.signals
    assert reading.empathy <= 20 and reading.honesty <= 20


def test_an_excellent_reply_without_the_word_sorry() -> None:
    reading = read("Dr. Reyes should have been treated with dignity. We let him down, and we are making it right with him today.")
    assert reading.strategy == "apology" and {"apology", "ownership"} <= reading.signals
    assert reading.empathy >= 70 and reading.honesty >= 85


@pytest.mark.parametrize(
    "text",
    [
        "What happened to that man on MA 1172 is on us, and we're reaching him tonight.",
        "The mistake was entirely on us. We are reaching him tonight.",
    ],
)
def test_saying_what_happened_is_on_us_is_ownership(text: str) -> None:
    reading = read(text)
    assert "ownership" in reading.signals and reading.honesty >= 70  # well above a neutral 50


def test_something_being_on_us_as_a_gift_is_not_ownership() -> None:
    assert "ownership" not in read("Your next flight is on us.").signals


# --- negation, subjects, quotes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["This was not our fault.", "We have nothing to apologise for.", "We did nothing wrong.", "We're not sorry."]
)
def test_negated_ownership_and_refusals_are_denials(text: str) -> None:
    reading = read(text)
    assert "denial" in reading.signals and not {"ownership", "apology"} & reading.signals


def test_who_the_words_are_about_decides_what_they_mean() -> None:
    assert "denial" not in read("He did nothing wrong.").signals
    assert "cleared_them" in rules_fired(read("He did nothing wrong."))
    assert "denial" in read("Our crew did nothing wrong.").signals
    assert "denial" not in read("Our passenger did nothing wrong.").signals, "the brand's customers are not the brand"
    passenger = read("We're sorry. The passenger, who did nothing wrong, was hurt on our flight.")
    assert "denial" not in passenger.signals and "apology" in passenger.signals
    assert "ownership" not in read("You failed to read the rules.").signals


def test_quoted_and_reported_words_are_not_the_brands_voice() -> None:
    for text in (
        "People are saying it's our fault. We are looking into it.",
        'Some posts claim "we got this wrong". We are looking into it.',
    ):
        assert "ownership" not in read(text).signals, text


def test_a_contrast_turns_an_apology_into_what_follows() -> None:
    assert read("We're sorry, but the crew followed the established procedure.").strategy == "deny"


# --- apologies: pseudo, conditional, wrong party, ownership without sorry ------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("We're sorry if anyone was offended.", "conditional_apology"),
        ("If your children were upset by the incident, we sincerely apologize.", "conditional_apology"),
        ("We apologise for any confusion.", "pseudo_apology"),
        ("Sorry you feel that way.", "pseudo_apology"),
        ("To anyone this may have offended, we apologise.", "pseudo_apology"),
        ("We apologise to our crew for the stress tonight.", "wrong_party"),
    ],
)
def test_apologies_that_own_nothing_score_as_what_they_are(text: str, rule: str) -> None:
    reading = read(text)
    assert rule in rules_fired(reading)
    assert "apology" not in reading.signals and "non_apology" in reading.signals
    assert reading.honesty <= 40


@pytest.mark.parametrize("text", ["We screwed up.", "That's on us.", "We failed him.", "We let him down.", "We got this wrong, Priya."])
def test_plain_ownership_counts_without_the_word_sorry(text: str) -> None:
    reading = read(text)
    assert {"apology", "ownership"} <= reading.signals and reading.strategy == "apology"
    assert reading.honesty >= 70


def test_the_noun_apology_is_not_an_apology() -> None:
    assert "apology" not in read("An apology will follow from our legal team.").signals
    assert "apology" in read("We owe Dr. Reyes an apology, and here it is: we are sorry.").signals


def test_the_apology_button_makes_nothing_an_apology() -> None:
    as_apology = read_reply("Thanks for your feedback.", ReplyContext(action=Action.APOLOGY), RULES)
    assert "apology" not in as_apology.signals
    assert as_apology.honesty == read("Thanks for your feedback.").honesty


# --- empathy, substance, promises, false claims ------------------------------------------------------


def test_empathy_is_about_this_person_and_what_happened_to_them() -> None:
    generic = read("We understand your frustration and take all feedback seriously.")
    specific = read("Priya, that must have been frightening to watch, and you're right to be angry. We're calling him tonight.")
    assert specific.empathy >= generic.empathy + 30
    assert {"named_them", "feelings", "validated"} <= rules_fired(specific)
    assert "boilerplate" in rules_fired(generic)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Sorry you're SO upset 🙄", "sarcasm"),
        ("Get your facts straight before you post, Priya.", "condescension"),
        ("WE ARE AWARE OF THE VIDEO AND ARE LOOKING INTO IT.", "shouting"),
        ("Guess he really wanted that window seat lol", "joke"),
    ],
)
def test_disrespect_costs_empathy(text: str, rule: str) -> None:
    reading = read(text)
    assert rule in rules_fired(reading) and reading.empathy <= 35


def test_substance_earns_and_word_salad_does_not() -> None:
    concrete = read("We are removing police from overbooking decisions and will post what we change by 9 pm.")
    salad = read("We are leveraging this learning moment to holistically realign our customer-centric journey going forward.")
    assert {"corrective_action", "next_step_time"} <= rules_fired(concrete)
    assert "word_salad" in rules_fired(salad) and salad.overall < concrete.overall - 25


def test_promises_nobody_can_keep_cost_honesty() -> None:
    assert "impossible_promise" in rules_fired(read("We guarantee this will never happen to anyone on any airline ever again."))
    assert "impossible_promise" in rules_fired(read("Dr. Reyes gets free flights for life."))  # the scenario's own list
    assert "impossible_promise" not in rules_fired(read("Police will no longer be used to remove seated passengers."))


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("The man became disruptive on board.", True),
        ("Honestly, the passenger was being disruptive.", True),
        ("Nobody got hurt.", True),
        ("The flight was not overbooked.", True),
        ("He was not disruptive.", False),
        ("We are not saying nobody laughed.", False),
        ("Nobody should ever be laughed at.", False),
        ("Our CEO's memo called him disruptive. It was wrong.", False),
        ("The incident report listed him as disruptive, which was wrong.", False),
    ],
)
def test_false_claims_are_caught_when_paraphrased_and_respect_negation(text: str, claimed: bool) -> None:
    assert ("false_claim" in read(text).signals) is claimed


def test_a_respectful_correction_is_honest_when_the_brand_is_not_at_fault() -> None:
    text = "That's not what happened: our records show the order shipped on Monday. We'll send you the tracking details today."
    not_at_fault = read_reply(text, ReplyContext(at_fault=False), RULES)
    at_fault = read_reply(text, ReplyContext(at_fault=True), RULES)
    assert "honest_correction" in rules_fired(not_at_fault) and not_at_fault.honesty >= 60
    assert at_fault.honesty <= 20
    confession = read_reply(
        "You're right, we lowball every mom on purpose. We're so sorry, it's all our fault.", ReplyContext(at_fault=False), RULES
    )
    assert "false_confession" in rules_fired(confession)


# --- what the reader cannot read, copy-paste, graded scores ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Lo sentimos mucho lo que le pasó a su padre.", "Nous sommes désolés pour ce qui s'est passé.", "نعتذر بشدة عما حدث", "🙏💙🙏", "…"],
)
def test_what_the_reader_cannot_read_is_neutral_and_says_so(text: str) -> None:
    reading = read(text)
    assert not reading.readable and reading.empathy == reading.honesty == 50 and reading.strategy == "none"
    assert [r.rule for r in reading.reasons] == ["unreadable"] and "English" in reading.suggestion


def test_copy_paste_is_spotted_under_another_post_only() -> None:
    memory = ReplyMemory()
    text = "We're sorry to hear this. Please send us a DM with your booking reference."
    memory.add(text, "video")
    pasted = read_reply(text.replace("DM", "direct message"), ReplyContext(post_id="row14"), RULES, memory)
    again = read_reply(text, ReplyContext(post_id="video"), RULES, memory)
    assert "copy_paste" in pasted.signals and "copy_paste" in rules_fired(pasted)
    assert "copy_paste" not in again.signals


def test_scores_are_graded_with_reasons_and_a_suggestion() -> None:
    replies = [
        "Priya, that's on us: we overbooked and he was hurt. We're sorry. Next update by 9pm.",
        "We're so sorry. This should never have happened on our aircraft.",
        "We hear you. We're looking into it.",
        "We are aware of a video circulating on social media.",
        "We apologise for any inconvenience.",
        "The crew followed procedure.",
        "Priya, thank you for filming. Can we call you tonight?",
        "Check out our holiday sale!",
        "Your post is lies.",
        "We let him down and we're paying for his care.",
        "Mistakes were made.",
        "Priya, I can't imagine watching that. We're calling his family now and I'll post here by 8.",
    ]
    readings = [read(text) for text in replies]
    assert len({r.empathy for r in readings}) >= 8 and len({r.honesty for r in readings}) >= 8
    assert readings[0].overall > readings[4].overall > readings[8].overall
    for reading in readings:
        assert reading.reasons and reading.suggestion
        assert all(reason.quote for reason in reading.reasons)
    assert "give a time for the next update" in readings[1].suggestion
    assert "own it in plain words" in readings[2].suggestion


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(max_size=10_000),
    author=st.none() | st.text(max_size=40),
    post_text=st.none() | st.text(max_size=300),
    brand=st.text(max_size=30),
    scenario=st.none() | st.just("airline-passenger-removal"),
)
def test_any_text_reads_without_error_and_scores_stay_in_range(
    text: str, author: str | None, post_text: str | None, brand: str, scenario: str | None
) -> None:
    context = ReplyContext(brand=brand, post_text=post_text, author=author, false_claims=("nobody laughed",), post_id="p", scenario=scenario)
    reading = read_reply(text, context, RULES, ReplyMemory())
    for score in (reading.empathy, reading.honesty, reading.overall):
        assert 0 <= score <= 100
    assert isinstance(reading.suggestion, str)


# --- statements to everyone ------------------------------------------------------------------------

BROADCAST = ReplyContext(action=Action.STATUS_UPDATE, brand="Northwind Rail", at_fault=True)


def test_a_statement_that_speaks_of_the_people_affected_reads_warmer_than_one_about_the_brand() -> None:
    about_them = read("We are sorry to every passenger who sat for four hours without power on the 6:10 train.", BROADCAST)
    about_us = read("We are sorry. This has been a long week for all of us at Northwind Rail.", BROADCAST)
    assert "spoke_of_them" in rules_fired(about_them) and "spoke_of_them" not in rules_fired(about_us)
    assert about_them.empathy > about_us.empathy + 10


def test_a_vague_noun_is_a_euphemism_only_when_nothing_names_what_happened() -> None:
    vague = read("We apologise for the incident and are reviewing it.", BROADCAST)
    named = read("A signal fault stranded 300 passengers for four hours. We apologise for the incident and are reviewing it.", BROADCAST)
    assert "euphemism" in rules_fired(vague) and "euphemism" not in rules_fired(named)
    assert named.honesty > vague.honesty


def test_owning_it_with_a_hedge_stops_below_owning_it_plainly() -> None:
    plain = read("We got this wrong: we sold tickets for seats we did not have. That is on us and we are refunding everyone.", BROADCAST)
    hedged = read(
        "We got this wrong and that is on us, but we have a proud record of punctuality and it was a very busy day.", BROADCAST
    )
    assert plain.honesty >= 85
    assert hedged.honesty <= RULES.reading.caps.hedged_honesty < plain.honesty


def test_repentance_counts_as_corrective_action() -> None:
    reading = read("We are sorry. We will learn from this and we are changing the rota to prevent it happening again.", BROADCAST)
    assert "corrective_action" in rules_fired(reading)


@pytest.mark.parametrize(
    "text",
    [
        "A two hour wait at the counter is perfectly normal for the industry.",
        "We have to be careful with refunds, which is why your claim was refused.",
        "You signed the terms when you booked.",
    ],
)
def test_arguing_that_what_happened_was_fine_is_a_justification(text: str) -> None:
    reading = read(text)
    assert reading.strategy in ("justify", "attack_accuser") and reading.honesty < 50


def test_a_plain_factual_status_update_does_not_cost_empathy() -> None:
    reading = read("Update 9pm: the 6:10 service is running again. We will post the next update by 10pm.", BROADCAST)
    assert reading.empathy >= 50 and reading.honesty > 50


# --- facts the brand is not at fault for -----------------------------------------------------------

GARAGE = ReplyContext(
    brand="Hillside Motors",
    at_fault=True,
    false_claims=("the mechanic was polite",),
    true_claims=("the part is on back order from the maker",),
    post_text="Hillside Motors kept my car two weeks and the mechanic rolled his eyes at me when I asked why.",
    author="Omar Haddad",
    post_id="car",
)


def test_stating_a_true_fact_is_an_honest_correction_not_a_justification() -> None:
    correction = read("Omar, the part is on back order from the maker, which is why the car is still with us.", GARAGE)
    assert "justify" not in rules_fired(correction) and "honest_correction" in rules_fired(correction)
    assert correction.strategy == "justify"  # it owns nothing else (rubric 5)
    assert correction.honesty > 55


def test_a_true_fact_said_with_contempt_stays_honest_but_costs_empathy() -> None:
    rude = read("Omar, as we already explained, the part is on back order from the maker.", GARAGE)
    kind = read("Omar, the eye-rolling was wrong and I'm sorry. The part is on back order from the maker; I'll call you today with a date.", GARAGE)
    assert rude.honesty > 55 and rude.empathy <= 25
    assert kind.strategy == "apology" and kind.honesty >= 85 and kind.empathy > 60


def test_a_true_fact_does_not_excuse_calling_them_a_liar() -> None:
    reading = read("Omar, you are lying. The part is on back order from the maker.", GARAGE)
    assert reading.strategy == "attack_accuser" and reading.honesty <= 20


# --- shapes of evasion that real statements use ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("The mistake was made by a junior contractor who ignored our guidelines.", "scapegoat"),
        ("His comments were not consistent with how we train our staff.", "scapegoat"),
        ("The email was approved in error.", "passive_voice"),
        ("We apologise for the anxiety this has caused.", "pseudo_apology"),
        ("We apologise to anyone who felt hurt by the post.", "pseudo_apology"),
        ("Customers failed to update their own passwords.", "blamed"),
        ("It was never our intention to upset anyone.", "excuse"),
        ("This was an extremely rare occurrence.", "minimise"),
        ("The vast majority of our drivers are courteous.", "bolstering"),
    ],
)
def test_evasions_are_read_for_what_they_are(text: str, rule: str) -> None:
    assert rule in rules_fired(read(text, BROADCAST))


def test_calling_someone_elses_wrong_wrong_is_not_a_false_confession() -> None:
    reading = read("What the driver said to her was unacceptable. We have removed him from the platform.", replace(BROADCAST, at_fault=False))
    assert "false_confession" not in rules_fired(reading) and "named_the_wrong" in rules_fired(reading)


def test_admitting_there_is_nothing_to_make_up_for_it_is_not_an_excuse() -> None:
    reading = read("There is nothing we can do to fully make up for a ruined holiday, but we will refund every night of it.", BROADCAST)
    assert "excuse" not in rules_fired(reading)


def test_opening_with_the_brands_defence_costs_empathy_that_opening_with_them_does_not() -> None:
    defence_first = read("We take the safety of our passengers seriously. We are sorry for the four hours you sat without power.", BROADCAST)
    them_first = read("We are sorry for the four hours you sat without power. We take the safety of our passengers seriously.", BROADCAST)
    assert "led_with_defence" in rules_fired(defence_first) and "led_with_defence" not in rules_fired(them_first)
    assert them_first.empathy > defence_first.empathy


def test_explaining_what_went_wrong_with_ownership_earns_honesty() -> None:
    reading = read("We got this wrong. The outage was caused by a configuration change we pushed at 2pm, and we are sorry.", BROADCAST)
    assert "explained_it" in rules_fired(reading)


def test_an_apology_on_a_condition_is_conditional_whichever_comes_first() -> None:
    reading = read("If we have let any of you down with the new timetable this month, we sincerely apologise.", BROADCAST)
    offer = read("If you would like to come in on Monday, I'd like to apologise to you in person for the wait.", BROADCAST)
    assert "conditional_apology" in rules_fired(reading) and reading.honesty <= 40
    assert "conditional_apology" not in rules_fired(offer)


def test_a_timestamp_is_not_a_time_for_the_next_update() -> None:
    stamped = read("Update 9am: the 6:10 service is running again.", BROADCAST)
    promised = read("Update 9am: the 6:10 service is running again. Tomorrow we will tell you what caused the fault.", BROADCAST)
    assert "next_step_time" not in rules_fired(stamped) and "next_step_time" in rules_fired(promised)


# --- fresh wording: paraphrased claims, ownership without stock phrases -----------------------------

AIRLINE = ReplyContext.in_scenario(
    load_scenario(Path(__file__).resolve().parent.parent / "scenarios" / "airline-passenger-removal.yaml"),
    Action.REPLY,
    VIDEO.post_text,
    VIDEO.author,
    VIDEO.post_id,
)


@pytest.mark.parametrize(
    "text",
    [
        "Priya, the passenger came through it uninjured; paramedics checked him at the gate.",
        "To be precise, 1172 was not oversold.",
        "He had agreed to take a later flight and then changed his mind.",
    ],
)
def test_a_false_claim_is_caught_in_other_words(text: str) -> None:
    assert "false_claim" in rules_fired(read(text, AIRLINE))


def test_a_negation_far_from_the_claim_does_not_make_it() -> None:
    reading = read("Priya, we are not ok with any of it either 💔 He got hurt on our flight because we oversold it.", AIRLINE)
    assert "false_claim" not in rules_fired(reading) and reading.honesty >= 60


@pytest.mark.parametrize(
    "text",
    [
        "Priya, we put him in that position. We sold more seats than the plane had.",
        "Our decision, our mess: he was hurt because of how we handled an overbooked flight.",
        "What the agent said to him was cruel, it happened at our gate, so it's mine to fix.",
    ],
)
def test_ownership_in_fresh_words_is_ownership(text: str) -> None:
    assert "owned_it" in rules_fired(read(text))


def test_a_wrong_done_to_the_brand_owns_nothing() -> None:
    reading = read("WCHX, one word in your headline is unfair to us: he was escorted off, not dragged.", AIRLINE)
    assert "owned_it" not in rules_fired(reading) and reading.honesty < 40


def test_money_in_place_of_an_apology_earns_no_honesty() -> None:
    bought = read("Priya, we'd like to offer him a full refund and 50,000 bonus miles. Please DM us his booking code.")
    sorry = read("Priya, we're so sorry for what happened to him. We'd like to offer him a full refund. Please DM us.")
    assert "repair" not in rules_fired(bought) and "repair" in rules_fired(sorry)
