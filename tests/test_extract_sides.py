"""Sides read from the speaker, the agent of a passive, and casualty verb lists: sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import read_claims

PUB = dt.date(2024, 6, 12)  # a Wednesday


def claims(text: str, published: dt.date | None = PUB, outlet: str | None = None):
    return read_claims(text, published, outlet)


def sides(text: str, **kw) -> list[tuple[str, str, int]]:
    return [(c.metric, c.party, c.value) for c in claims(text, **kw)]


@pytest.mark.parametrize("speaker,party", [
    ("the Russian Defence Ministry said", "UA"),
    ("Moscow's defence ministry reported", "UA"),
    ("Ukraine's General Staff said", "RU"),
    ("a Ukrainian brigade commander told reporters", "RU"),
])
def test_the_enemy_is_the_side_opposite_the_speaker(speaker, party):
    got = sides(f"The enemy lost up to 640 servicemen and 9 tanks near Siversk over the past day, {speaker}.\n")
    assert got == [("losses.personnel", party, 640), ("losses.equipment.tanks", party, 9)]


def test_occupiers_and_invaders_follow_the_speaker_too():
    ru = sides("“The invaders lost 120 soldiers at the river crossing,” the Russian Defence Ministry said.\n")
    ua = sides("“The occupiers lost 120 soldiers at the river crossing,” Ukraine's General Staff said.\n")
    assert ru == [("losses.personnel", "UA", 120)] and ua == [("losses.personnel", "RU", 120)]


def test_the_enemy_without_a_known_speaker_keeps_the_ukrainian_usage():
    assert sides("The enemy lost 75 soldiers near Toretsk over the past day.\n") == [("losses.personnel", "RU", 75)]


def test_an_outlet_that_speaks_for_a_side_resolves_the_enemy():
    text = "The enemy lost 75 soldiers near Toretsk over the past day.\n"
    assert sides(text, outlet="TASS") == [("losses.personnel", "UA", 75)]
    assert sides(text, outlet="Ukrinform") == [("losses.personnel", "RU", 75)]


def test_our_land_names_the_owner_not_the_holder():
    got = claims("“The occupiers still control about 41,000 square kilometres of our land,” Ukraine's defence minister said.\n")
    assert [(c.metric, c.party, c.value) for c in got] == [("area.controlled", "RU", 41000)]


def test_his_men_are_the_speakers_side():
    text = "Russian military blogger channels aside, Vladimir Putin said his men had killed 350 Ukrainian soldiers near Kupiansk.\n"
    assert ("losses.personnel.killed", "UA", 350) in sides(text)


@pytest.mark.parametrize("sentence,party", [
    ("Since the start of June, 47 howitzers were destroyed by Ukraine's artillery units, the corps said.", "RU"),
    ("Since the start of June, 47 howitzers were destroyed by Russian glide bombs, the regional governor said.", "UA"),
    ("Since the start of June, 47 howitzers have been knocked out by our drone pilots, Ukraine's General Staff said.", "RU"),
])
def test_the_agent_of_a_passive_is_the_side_that_did_it(sentence, party):
    assert sides(sentence + "\n") == [("losses.equipment.artillery", party, 47)]


@pytest.mark.parametrize("sentence,metric", [
    ("Kyiv's drone crews killed or wounded about 140 Russian soldiers near Chasiv Yar on Tuesday, the brigade said.",
     "losses.personnel"),
    ("Russian troops have killed, wounded or captured 3,100 Ukrainian soldiers near Lyman since May, Moscow claimed.",
     "losses.personnel"),
    ("About 1,900 Ukrainian soldiers have been killed, wounded or taken prisoner near Siversk this month, Moscow said.",
     "losses.personnel"),
    ("About 1,900 Ukrainian soldiers have been killed near Siversk this month, Moscow said.",
     "losses.personnel.killed"),
    ("Some 12,500 Russian soldiers have been “neutralised” since the offensive began, Kyiv's deputy minister said.",
     "losses.personnel"),
])
def test_a_list_of_casualty_verbs_is_their_sum(sentence, metric):
    got = claims(sentence + "\n")
    assert [c.metric for c in got] == [metric]


def test_has_before_a_participle_is_not_possession():
    got = claims("About 4,000 Russian soldiers have been captured near Kharkiv this year, the corps said.\n")
    assert [c.metric for c in got] == ["losses.personnel.captured"]


def test_the_side_of_the_people_after_a_casualty_noun():
    got = claims("Mediazona has counted 52,300 dead Russian soldiers by name, the outlet said.\n")
    assert [(c.party, c.value) for c in got] == [("RU", 52300)]


def test_its_own_toll_is_the_speakers_side():
    text = ("The Russian Defence Ministry said on Monday that the enemy had lost 1,200 soldiers.\n\n"
            "It has not updated its own death toll since March 2023, when it said 6,200 soldiers had been killed.\n")
    got = {c.value: c.party for c in claims(text)}
    assert got == {1200: "UA", 6200: "RU"}


@pytest.mark.parametrize("sentence,party", [
    ("The losses of the Russian army near Bakhmut amounted to 710 soldiers, Ukraine's General Staff said.", "RU"),
    ("Casualties among Ukrainian units came to about 1,300 servicemen, the Russian Defence Ministry said.", "UA"),
    ("The losses suffered by Kyiv's forces amounted to 95 troops, the ministry in Moscow said.", "UA"),
    ("Our air assault brigade inflicted losses of up to 410 servicemen on Russian troops, the brigade said.", "RU"),
    ("The Vostok group inflicted heavy losses of 230 soldiers on the enemy, the Russian Defence Ministry said.",
     "UA"),
])
def test_the_side_a_loss_noun_names_is_the_one_that_lost(sentence, party):
    got = sides(sentence + "\n")
    assert [(m.split(".")[0], p) for m, p, v in got] == [("losses", party)], got


@pytest.mark.parametrize("sentence,span", [
    ("The losses of the Russian army over the past day amounted to 1,180 soldiers, the General Staff said.",
     (dt.date(2024, 6, 11), dt.date(2024, 6, 12))),
    ("Over the week, the enemy's losses came to up to 2,050 servicemen, the Russian Defence Ministry said.",
     (dt.date(2024, 6, 5), dt.date(2024, 6, 12))),
])
def test_losses_that_amount_to_a_figure_over_a_window_are_a_count_over_it(sentence, span):
    got = claims(sentence + "\n")
    assert [(c.period.start, c.period.end) if c.period else c.as_of for c in got] == [span], got


def test_losses_since_an_origin_that_amount_to_a_figure_stay_a_running_total():
    got = claims("Since the start of the invasion, the losses of the Russian army have amounted to 498,000 "
                 "soldiers, the General Staff said.\n")
    assert [(c.party, c.period, c.as_of) for c in got] == [("RU", None, PUB)], got


@pytest.mark.parametrize("text,party", [
    ("“We lost 17 men killed and 40 wounded in that assault,” said Oleh Marchuk, a Ukrainian company commander.\n",
     "UA"),
    ("Russian paratrooper Sergei Lavrov-Kim wrote that his unit lost 30 men in a week.\n"
     "“Our battalion lost 12 men near the river,” Lavrov-Kim said.\n", "RU"),
])
def test_a_person_described_with_a_side_speaks_for_it(text, party):
    got = claims(text)
    assert got and {c.party for c in got} == {party}, got


def test_a_side_the_person_fights_is_not_theirs():
    got = claims("“Our crews lost nine men this week,” said Petro Dub, a drone pilot fighting Russian troops near "
                 "Kupiansk.\n")
    assert all(c.party != "RU" for c in got), got


@pytest.mark.parametrize("sentence", [
    "At this rate, Russian losses will pass 800,000 soldiers by the spring, analysts wrote.",
    "Ukraine's losses are expected to reach 90,000 troops by the end of the year, the ministry in Moscow said.",
    "Russia is on course to surpass 10,000 destroyed tanks next year, the General Staff said.",
])
def test_a_forecast_is_no_claim(sentence):
    assert claims(sentence + "\n") == []


def test_a_figure_that_has_been_reached_is_a_claim_where_a_forecast_is_not():
    got = claims("Russian losses have passed 800,000 soldiers, the General Staff said, and will reach 900,000 by "
                 "the spring.\n")
    assert [c.value for c in got] == [800000], got


@pytest.mark.parametrize("text,party,value", [
    ("The Russian Defence Ministry said its 'West' group had taken 6 villages near Kupiansk over the past week.\n",
     "RU", 6),
    ("Ukraine's General Staff said its Khortytsia grouping had retaken 3 settlements near Bakhmut since Monday.\n",
     "UA", 3),
])
def test_a_named_group_of_the_speakers_own_forces_is_the_speakers_side(text, party, value):
    assert sides(text) == [("settlements.captured", party, value)]


@pytest.mark.parametrize("text,expect", [
    ("The Russian Defence Ministry said it had cleared about 60 square kilometres near Tetkino since March.\n",
     [("area.gained", "RU", 60)]),
    ("Ukrainian commanders said they still held 11 villages along the frontier.\n",
     [("settlements.controlled", "UA", 11)]),
])
def test_it_or_they_right_after_the_speech_verb_is_the_speaker(text, expect):
    assert sides(text) == expect


@pytest.mark.parametrize("text,party,value", [
    ("Kyiv said on Tuesday that 180 soldiers had died defending the bridgehead.\n", "UA", 180),
    ("The Russian Defence Ministry said 95 servicemen died when the barracks was struck.\n", "RU", 95),
])
def test_dead_with_no_side_and_no_agent_are_the_speakers_own(text, party, value):
    # "died" is nobody's act: unlike "were killed" or "were destroyed", it does not report what the speaker's side did
    assert sides(text) == [("losses.personnel.killed", party, value)]


@pytest.mark.parametrize("text,party", [
    ("Russian forces inflicted up to 1,460 casualties on Ukrainian troops over the past day, Moscow said.\n", "UA"),
    ("Ukraine's army inflicted about 900 casualties on Russian units near Vovchansk this week, Kyiv said.\n", "RU"),
])
def test_casualties_inflicted_on_a_side_are_that_sides(text, party):
    assert [(m, p) for m, p, v in sides(text)] == [("losses.personnel", party)]


@pytest.mark.parametrize("text", [
    "Nearly 60% of the Donetsk region was held by DPR forces by early April, the separatist leader claimed.\n",
    "LPR militia units had taken 12 villages near Severodonetsk over the past week, Moscow said.\n",
])
def test_the_separatist_forces_fight_on_russias_side(text):
    assert [p for m, p, v in sides(text)] == ["RU"]


def test_a_passive_toll_after_the_speaker_names_our_losses_is_the_speakers_own():
    text = ('"We have losses too. Since the operation began, 412 servicemen have been killed and 1,020 wounded," '
            "the Russian defence minister said.\n")
    assert sides(text) == [("losses.personnel.killed", "RU", 412), ("losses.personnel.wounded", "RU", 1020)]


@pytest.mark.parametrize("text,expect", [
    # a possessive of the speaker's in the figure's noun phrase, and a relative clause before the participle
    ("The Russian commander says 600 of his paratroopers, who were dropped near the airfield in March, were killed.\n",
     [("losses.personnel.killed", "RU", 600)]),
    ("Kyiv's defence minister said 70 of our marines had been captured on the left bank.\n",
     [("losses.personnel.captured", "UA", 70)]),
    # "he" right after the speech verb is the speaker
    ("In September Putin said he would call up 200,000 reservists.\n", [("troops.planned", "RU", 200000)]),
])
def test_the_speakers_own_people_named_by_a_pronoun(text, expect):
    assert sides(text) == expect


def test_a_wire_dateline_is_not_part_of_the_speaker():
    text = "KYIV, Ukraine — The commander of Russia's 58th Army says 1,300 of his soldiers died near Robotyne.\n"
    [c] = claims(text)
    assert (c.party, c.claimant) == ("RU", "commander of Russia's 58th Army")


@pytest.mark.parametrize("text", [
    "Near Lyman, Ukraine's 3rd Corps said, 240 soldiers had been eliminated by Ukrainian drone teams since May and "
    "another 95 wounded.\n",
    "Ukraine's army said 240 Russian soldiers were killed near Lyman in May and another 95 wounded.\n",
])
def test_another_casualty_figure_is_on_the_side_of_the_one_before_it(text):
    assert sides(text) == [("losses.personnel.killed", "RU", 240), ("losses.personnel.wounded", "RU", 95)]


@pytest.mark.parametrize("text,party,value", [
    ("\"The battle for the city has taken the lives of 6,500 Ukrainian defenders,\" the mayor said.\n", "UA", 6500),
    ("The failed crossing claimed the lives of about 1,200 Russian marines, Kyiv's navy said.\n", "RU", 1200),
])
def test_lives_taken_or_claimed_are_the_dead_of_the_side_named(text, party, value):
    assert sides(text) == [("losses.personnel.killed", party, value)]


# "N of its/their <people>": the side of the clause's subject, else the speaker's (C1)
@pytest.mark.parametrize("text,party", [
    ("The Russian Defence Ministry said 2,600 of its servicemen had been killed since the operation began.\n", "RU"),
    ("Kyiv's General Staff said 410 of their soldiers had been captured in the encirclement.\n", "UA"),
    ("Ukraine's army said Russia lost 1,500 of its soldiers in the failed assault.\n", "RU"),
    ("Moscow's defence ministry claimed Ukrainian units lost 800 of their fighters near the river.\n", "UA"),
])
def test_its_people_belong_to_the_subject_else_the_speaker(text, party):
    assert [p for m, p, v in sides(text)] == [party]


# a paragraph that goes on counting one side's losses keeps that side for equipment that names none
def test_equipment_with_no_side_keeps_the_side_of_the_paragraph():
    text = ("The army's tally put the number of Russian cruise missiles shot down at 410. The same count lists 330 "
            "combat aircraft and 250 helicopters destroyed since the invasion.\n")
    assert sides(text) == [("losses.equipment.cruise_missiles", "RU", 410), ("losses.equipment.aircraft", "RU", 330),
                           ("losses.equipment.helicopters", "RU", 250)]


def test_a_new_paragraph_does_not_inherit_the_side():
    text = ("The army's tally put the number of Russian cruise missiles shot down at 410.\n\n"
            "The same count lists 330 combat aircraft destroyed since the invasion.\n")
    assert sides(text) == [("losses.equipment.cruise_missiles", "RU", 410)]


@pytest.mark.parametrize("second,metric,value", [
    ("A further 15,000 soldiers are stationed across the border in Belgorod, they added.", "troops.deployed", 15000),
    ("Some 90 tanks were also destroyed in those battles, the analysts added.", "losses.equipment.tanks", 90),
])
def test_figures_with_no_side_keep_the_side_of_the_paragraph(second, metric, value):
    text = f"Russian forces lost 4,000 soldiers around Kupiansk in April, analysts estimated. {second}\n"
    assert sides(text)[1] == (metric, "RU", value)


def test_the_side_of_the_paragraph_does_not_cross_into_the_next():
    text = ("Russian forces lost 4,000 soldiers around Kupiansk in April, analysts estimated.\n\n"
            "A further 15,000 soldiers are stationed across the border in Belgorod, they added.\n")
    assert sides(text) == [("losses.personnel", "RU", 4000)]


def test_a_bare_figure_with_a_casualty_participle_counts_the_people_of_the_paragraph():
    text = ("Russian forces lost 3,100 soldiers killed near Pokrovsk in May, analysts estimated. Another 5,200 were "
            "wounded, they said.\n")
    assert sides(text) == [("losses.personnel.killed", "RU", 3100), ("losses.personnel.wounded", "RU", 5200)]


def test_a_bare_figure_with_a_participle_after_a_figure_of_equipment_is_no_count_of_people():
    text = ("Russian forces lost 310 tanks near Pokrovsk in May, analysts estimated. Another 52 were damaged, they "
            "said.\n")
    assert sides(text) == [("losses.equipment.tanks", "RU", 310)]


@pytest.mark.parametrize("lead,party", [
    ("Russian authorities have rarely published casualty figures.", "RU"),
    ("The Ukrainian military has only occasionally released its losses.", "UA"),
])
def test_dead_a_speaker_reports_after_its_sides_officials_are_said_to_disclose_figures_are_its_own(lead, party):
    speaker = "Russia's defence minister" if party == "RU" else "Ukraine's defence minister"
    text = f"{lead} In May, {speaker} said that about 4,200 soldiers had been killed.\n"
    assert sides(text) == [("losses.personnel.killed", party, 4200)]


def test_officials_of_the_other_side_disclosing_figures_leave_the_dead_the_enemys():
    text = ("Russian authorities have rarely published casualty figures. In May, Ukraine's defence minister said "
            "that about 4,200 soldiers had been killed.\n")
    assert sides(text) == [("losses.personnel.killed", "RU", 4200)]
