"""Facts rules on hand-built articles: detentions, negation, terms, outcomes, elections, results, events.

Mentions are built by hand (no spaCy): every occurrence of a listed surface string becomes a mention.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from flows.extract.facts import extract_facts
from flows.extract.model import ArticleInput, Facts, Mention
from flows.extract.nlp import Analysis, attach_parses
from flows.extract.rules.lexicon import parse_number
from flows.extract.rules.terms import classify_outcome, parse_count, parse_term_days, parse_term_list

# surface -> (entity_type, canonical name, country, roles)
ENTITIES: dict[str, tuple[str, str, str | None, list[str]]] = {
    "Kazakhstan": ("country", "Kazakhstan", "KZ", []),
    "Kyrgyzstan": ("country", "Kyrgyzstan", "KG", []),
    "Asiya Tulesova": ("person", "Asiya Tulesova", "KZ", ["activist"]),
    "Beibarys Tolymbekov": ("person", "Beibarys Tolymbekov", "KZ", ["activist"]),
    "Alimzhan Izbasarov": ("person", "Alimzhan Izbasarov", "KZ", ["activist"]),
    "Zhanbolat Mamai": ("person", "Zhanbolat Mamai", "KZ", ["party_leader"]),
    "Nursultan Nazarbayev": ("person", "Nursultan Nazarbayev", "KZ", ["president"]),
    "Nazarbayev": ("person", "Nursultan Nazarbayev", "KZ", ["president"]),
    "Tokayev": ("person", "Kassym-Jomart Tokayev", "KZ", ["president"]),
    "Respublica": ("party", "Respublica", "KZ", []),
    "Nur-Otan": ("party", "Nur Otan", "KZ", []),
    "Communist People's Party of Kazakhstan": ("party", "Communist People's Party of Kazakhstan", "KZ", []),
    "Aq Zhol": ("party", "Ak Zhol", "KZ", []),
    "Amanat": ("party", "Amanat", "KZ", []),
    "Auyl": ("party", "Auyl", "KZ", []),
    "Lukpan Akhmedyarov": ("person", "Lukpan Akhmedyarov", "KZ", ["journalist"]),
    # invented people for the rule tests below (unseen names, as in the held-out set)
    "Uzbekistan": ("country", "Uzbekistan", "UZ", []),
    "Tajikistan": ("country", "Tajikistan", "TJ", []),
    "Turkmenistan": ("country", "Turkmenistan", "TM", []),
    "Erlan Sadvakasov": ("person", "Erlan Sadvakasov", "KZ", ["activist"]),
    "Gulnara Temirova": ("person", "Gulnara Temirova", "KZ", ["activist"]),
    "Bakyt Osmonov": ("person", "Bakyt Osmonov", "KG", ["journalist"]),
    "Aziza Nurmatova": ("person", "Aziza Nurmatova", "KG", ["journalist"]),
    "Rustam Khaidarov": ("person", "Rustam Khaidarov", "TJ", []),
    "Shavkat Mirziyoyev": ("person", "Shavkat Mirziyoyev", "UZ", ["president"]),
    "Mirziyoyev": ("person", "Shavkat Mirziyoyev", "UZ", ["president"]),
    "Dilnoza Karimova": ("person", "Dilnoza Karimova", "UZ", []),
    "Emomali Rahmon": ("person", "Emomali Rahmon", "TJ", ["president"]),
    "Gurbanguly Berdimuhamedov": ("person", "Gurbanguly Berdimuhamedov", "TM", ["president"]),
    "Liberal Democratic Party of Uzbekistan": ("party", "Liberal Democratic Party of Uzbekistan", "UZ", []),
    "Adolat": ("party", "Adolat Social Democratic Party", "UZ", []),
    "Mamai": ("person", "Zhanbolat Mamai", "KZ", ["party_leader"]),
    "Dauletmurat Tajimuratov": ("person", "Dauletmurat Tazhimuratov", "UZ", ["lawyer"]),
    "Tajimuratov": ("person", "Dauletmurat Tazhimuratov", "UZ", ["lawyer"]),
    "Sadyr Japarov": ("person", "Sadyr Japarov", "KG", []),
    "Kamchibek Tashiyev": ("person", "Kamchybek Tashiev", "KG", []),
    "Sadyr Zhaparov": ("person", "Sadyr Japarov", "KG", []),
    "Talant Mamytov": ("person", "Talant Mamytov", "KG", []),
}


def make_mentions(body: str) -> list[Mention]:
    spans: list[tuple[int, int, str]] = []
    for surface in sorted(ENTITIES, key=len, reverse=True):
        for m in re.finditer(re.escape(surface), body):
            if any(s < m.end() and m.start() < e for s, e, _ in spans):
                continue
            spans.append((m.start(), m.end(), surface))
    mentions = []
    for no, (start, end, surface) in enumerate(sorted(spans), start=1):
        etype, canonical, country, roles = ENTITIES[surface]
        mentions.append(
            Mention(
                no,
                etype,
                surface,
                start,
                end,
                canonical,
                canonical.lower(),
                country_id=country,
                roles=list(roles),
            )
        )
    return mentions


def split_sentences(body: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s][^\n]*?(?:[.!?](?=\s|$)|$)", body, re.M)]


def run(body: str, published: date | None = None) -> tuple[Facts, dict[int, Mention]]:
    mentions = make_mentions(body)
    article = ArticleInput(
        "sha", body, published_date=published, published_date_precision="day" if published else "unknown"
    )
    analysis = Analysis(sentences=split_sentences(body))
    attach_parses([(body, analysis)])  # the real parser, as in extraction
    facts = extract_facts(body, analysis.sentences, mentions, article, analysis.parses)
    assert_evidence(body, facts)
    return facts, {m.mention_no: m for m in mentions}


def assert_evidence(body: str, facts: Facts) -> None:
    for rec in [*facts.events, *facts.detentions, *facts.elections, *facts.election_results]:
        assert body[rec.char_start : rec.char_end] == rec.evidence_text
        assert rec.evidence_text.strip() == rec.evidence_text and rec.evidence_text


def detainees(facts: Facts, names: dict[int, Mention]) -> list[str | int | None]:
    return [
        names[d.detainee_mention_no].canonical_name if d.detainee_mention_no else d.detainee_count
        for d in facts.detentions
    ]


# ---------------------------------------------------------------------------------------- small parsers


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Nearly 80 people", (True, 80)),
        ("more than 100 protesters", (True, 100)),
        ("dozens of activists", (True, None)),
        ("twenty-five opposition activists", (True, 25)),
        ("1,000 Kazakh citizens", (True, 1000)),
        ("the court", (False, None)),
        ("seven candidates", (False, None)),
        ("Several of Mamai's supporters", (True, None)),
        ("Sixteen others", (True, 16)),
        ("21 other defendants", (True, 21)),
    ],
)
def test_count_phrases(phrase: str, expected: tuple[bool, int | None]) -> None:
    assert parse_count(phrase) == expected


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("seven", 7),
        ("twenty-five", 25),
        ("two hundred", 200),
        ("1,000", 1000),
        ("a dozen", 12),
        ("dozens", None),
    ],
)
def test_number_words(word: str, value: int | None) -> None:
    assert parse_number(word) == value


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("sentenced them to 15 days in prison", 15),
        ("two months", 60),
        ("a suspended six-year sentence", 2190),
        ("one and a half years", 545),
        ("10 years and six months in prison", 3830),
        ("jailed for a year", 365),
        ("sentenced to life in prison", None),
        ("could face up to 10 years", None),
        ("5-7 years", None),
        ("from 5 to 7 years", None),
        ("a 22-year-old student", None),
        ("two years ago", None),
        ("fined 100 monthly calculation indices", None),  # 'monthly' is not a month
        ("serving an 11-and-a-half-year sentence", 4195),
        ("sentences of between three and eleven years", None),
        ("three to five years", None),
    ],
)
def test_term_days(text: str, days: int | None) -> None:
    assert parse_term_days(text) == days


@pytest.mark.parametrize(
    ("clause", "outcome"),
    [
        ("sentenced to 15 days in prison", "administrative_arrest"),
        ("sentenced to 10 days of administrative arrest", "administrative_arrest"),
        ("given a suspended six-year sentence", "suspended_sentence"),
        ("sentenced to seven years in prison", "sentenced"),
        ("convicted in April 2023", "sentenced"),
        ("fined 100,000 tenge", "fined"),
        ("released on Friday", "released"),
        ("detained on Monday", "unknown"),
        ("placed under house arrest for two months", "unknown"),
        ("acquitted for lack of evidence", "released"),
        ("sentenced to two years of restriction of freedom", "suspended_sentence"),
        ("received a five-year probationary sentence", "suspended_sentence"),
        ("condemned to 2 years behind bars", "sentenced"),
        ("released under the amnesty", "released"),
        # what happened to part of a group is not the group's outcome
        ("detained at least 30 people at the rally, most of whom were released the same evening", "unknown"),
    ],
)
def test_outcomes(clause: str, outcome: str) -> None:
    assert classify_outcome(clause, parse_term_days(clause)) == outcome


# ---------------------------------------------------------------------------------------- detentions


def test_plural_pronoun_gives_one_row_per_person() -> None:
    body = (
        "During the April annual race Almaty Marathon, young activists Asiya Tulesova and Beibarys Tolymbekov "
        "took to the streets holding a banner. The court sentenced them to 15 days in prison for violating "
        "the peaceful assembly rule."
    )
    facts, names = run(body)
    assert detainees(facts, names) == ["Asiya Tulesova", "Beibarys Tolymbekov"]
    for d in facts.detentions:
        assert (d.outcome, d.term_days, d.authority) == ("administrative_arrest", 15, "court")
        assert d.charge == "violating the peaceful assembly rule"
        assert d.detained_date is None and d.detained_date_precision == "unknown"  # 'April' has no year
        assert d.event_no is not None


def test_clauses_about_one_person_merge_into_one_row() -> None:
    body = (
        "Zhanbolat Mamai, the leader of the unregistered Democratic Party, was arrested in February 2022 and "
        "convicted in April 2023 on charges of organizing mass riots. Though the charge carried the potential "
        "for a decade in prison, he was given a suspended six-year sentence."
    )
    facts, names = run(body)
    [d] = facts.detentions
    assert names[d.detainee_mention_no].canonical_name == "Zhanbolat Mamai"
    assert (d.outcome, d.term_days) == ("suspended_sentence", 2190)
    assert (d.detained_date, d.detained_date_precision) == (date(2022, 2, 1), "month")
    assert d.charge == "organizing mass riots"
    types = {e.event_type for e in facts.events}
    assert {"detention", "sentencing"} <= types


def test_bare_surname_and_coordinated_trigger() -> None:
    body = (
        "A civil activist, Alimzhan Izbasarov, joined the protest on May 1. Nearly 80 people were detained back "
        "then, three of them were brought to trial.\nIzbasarov was detained and sentenced to 15 days in prison, "
        "and afterwards he received an enlistment notice."
    )
    facts, names = run(body)
    assert detainees(facts, names) == [80, "Alimzhan Izbasarov"]
    group, person = facts.detentions
    assert (group.outcome, group.term_days) == ("unknown", None)
    assert (person.outcome, person.term_days) == ("administrative_arrest", 15)


@pytest.mark.parametrize(
    ("sentence", "count", "location", "authority"),
    [
        ("Police detained more than 100 protesters in Almaty on Saturday.", 100, "Almaty", "police"),
        ("Police detained at least 50 people in Bishkek.", 50, "Bishkek", "police"),
        ("Police officers in Almaty and Nur-Sultan detained the activists.", None, "Almaty", "police"),
        ("Dozens of activists were detained in Almaty.", None, "Almaty", None),
    ],
)
def test_groups(sentence: str, count: int | None, location: str, authority: str | None) -> None:
    facts, names = run(sentence)
    [d] = facts.detentions
    assert (d.detainee_mention_no, d.detainee_count, d.location, d.authority) == (
        None,
        count,
        location,
        authority,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "My parents were threatened with dismissal, criminal prosecution and arrest.",
        "Zhanbolat Mamai could face up to 10 years in prison.",
        "Activists demanded the release of political prisoners.",
        "Activists called for Zhanbolat Mamai to be released.",
        "Mothers of many children attended rallies, and they were impossible to ignore or detain.",
        "Protesters and even journalists covering such campaigns have been arrested before.",
        "The imprisonment of activists remains a concern.",
        "Another set of concerns is the ongoing imprisonment of individuals on extremism-related charges.",
        "Zhanbolat Mamai was not detained.",
        "If you hold a Russian passport, you could face fines or imprisonment for sharing our content.",
        "Homosexuality is punishable by up to three years in prison.",
    ],
)
def test_negated_threatened_and_general_statements_are_not_detentions(sentence: str) -> None:
    facts, _ = run(sentence)
    assert facts.detentions == []
    assert not {e.event_type for e in facts.events} & {"detention", "sentencing", "release"}


def test_year_of_the_paragraph_dates_an_undated_arrest() -> None:
    body = (
        "On February 27, 2005, the parliamentary elections were held in Kyrgyzstan. The arrest of opposition "
        "protestors emboldened the crowds."
    )
    facts, _ = run(body)
    [d] = facts.detentions
    assert (d.detainee_count, d.detained_date, d.detained_date_precision) == (None, date(2005, 1, 1), "year")


def test_a_demanded_release_of_an_uncounted_group_is_no_detention() -> None:
    # seed-002 (real text): a rally's demand, 'the release of all political prisoners'
    facts, _ = run(
        '"Four points will be announced at the rally: the release of all political prisoners," he said.'
    )
    assert facts.detentions == []


def test_a_fine_on_top_of_a_prison_term_leaves_the_prison_term_the_outcome() -> None:
    # case-628 (real text, shortened)
    facts, _ = run(
        "A court sentenced Zhanbolat Mamai to 10 years in prison on October 17. According to them, the "
        "court also ordered Mamai to pay a hefty fine."
    )
    assert [(d.outcome, d.term_days) for d in facts.detentions] == [("sentenced", 3650)]


def test_fined_and_released() -> None:
    facts, names = run("Zhanbolat Mamai was fined 100,000 tenge. Asiya Tulesova was released on Friday.")
    assert [
        (names[d.detainee_mention_no].canonical_name, d.outcome, d.term_days) for d in facts.detentions
    ] == [("Zhanbolat Mamai", "fined", None), ("Asiya Tulesova", "released", None)]


def test_a_verdict_without_its_term_takes_the_term_the_article_gives_that_person() -> None:
    # case-623 (real text, shortened): the term is in the lede, the verdict in a later paragraph
    lede = (
        "Uzbekistan's Supreme Court has rejected an appeal by Dauletmurat Tajimuratov, a Karakalpak lawyer "
        "and activist, against a 16-year prison term on charges of sowing unrest. "
    )
    verdict = "In January, he was found guilty of an array of grave charges."
    facts, _ = run(lede + "The court announced its decision on June 5. " + verdict)
    [d] = facts.detentions
    assert (d.outcome, d.term_days) == ("sentenced", 5840)
    # a term in a sentence naming someone else too is not that person's
    facts, _ = run(
        "Dauletmurat Tajimuratov and Sadyr Japarov spoke of a 16-year prison term. Tajimuratov was "
        "found guilty of an array of grave charges."
    )
    assert [(d.outcome, d.term_days) for d in facts.detentions] == [("sentenced", None)]


def test_an_arrest_without_its_charge_takes_the_charge_the_article_states_of_that_person() -> None:
    # case-606 (real text): the charge is in the next sentence, on 'He'
    body = (
        "The 34-year-old Zhanbolat Mamai was arrested in late February. He faces up to 10 years in prison on "
        "charges of organizing mass riots during protests in January."
    )
    facts, _ = run(body)
    [d] = facts.detentions
    assert d.charge == "organizing mass riots during protests in January"
    # two episodes of one person in the article: the charge could be either's
    facts, _ = run(
        "Zhanbolat Mamai was arrested on February 21, 2020. In 2017, Mamai was detained. He was charged "
        "with money laundering."
    )
    assert [d.charge for d in facts.detentions] == [None, None]
    # a charge dated to another year belongs to another episode
    facts, _ = run("Zhanbolat Mamai was arrested in late February. In 2015, he was charged with fraud.")
    assert [d.charge for d in facts.detentions] == [None]


def test_a_counted_group_is_the_people_the_next_sentence_lists() -> None:
    # case-611 (real text): the lede counts the MPs, the next sentence names them
    lede = (
        "BISHKEK: A court in Kyrgyzstan sentenced three opposition members of Parliament to up to 18 months "
        "in jail yesterday for leading a protest. "
    )
    names = "Prosecutors had sought jail terms for nationalist MPs Kamchibek Tashiyev, Sadyr Zhaparov and {}."
    facts, mentions = run(lede + names.format("Talant Mamytov"), date(2013, 3, 30))
    assert detainees(facts, mentions) == ["Kamchybek Tashiev", "Sadyr Japarov", "Talant Mamytov"]
    assert {(d.outcome, d.detained_date) for d in facts.detentions} == {("sentenced", date(2013, 3, 29))}
    # a list of another size is not the group
    facts, mentions = run(
        lede + "Prosecutors had sought jail terms for Kamchibek Tashiyev and Sadyr Zhaparov."
    )
    assert detainees(facts, mentions) == [3]
    # people who only comment on the case are not the group
    facts, mentions = run(lede + "Kamchibek Tashiyev, Sadyr Zhaparov and Talant Mamytov said nothing.")
    assert detainees(facts, mentions) == [3]


# ---------------------------------------------------------------------------------------- elections


def test_one_row_per_distinct_election_with_day_month() -> None:
    body = (
        "Authorities in Kazakhstan have given a party permission to hold a rally ahead of upcoming parliamentary "
        "elections. Mamai called for a boycott of the January 10 parliamentary election.\n"
        "Six parties will take part in the elections scheduled for January 10.\n"
        "The January 10 polls will be the first parliamentary elections since Tokayev took office.\n"
        "The 107-seat Majlis is currently dominated by Nur-Otan, which has 84 deputies.\n"
        "The Communist People's Party of Kazakhstan and the Aq Zhol party each have seven seats.\n"
        "The remaining nine seats are appointed by the Assembly.\n"
        "The last parliamentary elections were held in March 2016.\n"
        "International observers say that past elections in Kazakhstan have been neither free nor fair."
    )
    facts, names = run(body)
    rows = [
        (e.country_id, e.election_type, e.election_date, e.election_date_precision, e.day_month)
        for e in facts.elections
    ]
    assert rows == [
        ("KZ", "parliamentary", None, "unknown", "01-10"),
        ("KZ", "parliamentary", date(2016, 3, 1), "month", None),
    ]
    seats = {
        (names[r.party_mention_no].canonical_name, r.seats, r.election_no) for r in facts.election_results
    }
    # seats a party *has* now come from the last election held
    assert seats == {("Nur Otan", 84, 2), ("Communist People's Party of Kazakhstan", 7, 2), ("Ak Zhol", 7, 2)}


def test_publication_date_settles_the_year() -> None:
    body = "Kazakhstan will hold the January 10 parliamentary election, the commission said."
    facts, _ = run(body, published=date(2020, 11, 6))
    [e] = facts.elections
    assert (e.election_date, e.election_date_precision, e.day_month) == (date(2021, 1, 10), "day", None)


def test_coordinated_types_give_two_elections() -> None:
    facts, _ = run(
        "They can participate in the parliamentary and local elections scheduled for 2021 in Kazakhstan."
    )
    assert sorted((e.election_type, e.election_date, e.election_date_precision) for e in facts.elections) == [
        ("local", date(2021, 1, 1), "year"),
        ("parliamentary", date(2021, 1, 1), "year"),
    ]


def test_snap_detection_and_untyped_mentions() -> None:
    body = (
        "On April 26 Kazakhstan will vote to choose the next president. On February 25 Nursultan Nazarbayev "
        "took the decision to hold an advanced poll, one year before the end of his term.\n"
        "Nazarbayev still enjoys popularity. In 2011 he was re-elected with an overwhelming majority.\n"
        "However, the call for early election seems to say nothing new."
    )
    facts, _ = run(body)
    rows = [(e.election_type, e.election_date, e.day_month, e.is_snap) for e in facts.elections]
    assert rows == [("presidential", None, "04-26", True), ("presidential", date(2011, 1, 1), None, False)]
    assert "election_called" in {e.event_type for e in facts.events}


def test_early_month_is_not_snap_and_another_referendum_is_distinct() -> None:
    body = (
        "Parliamentary elections were held in Kyrgyzstan in early January 2021. The constitutional changes "
        "were approved in the May 2022 referendum in Kazakhstan. Tokayev is pushing towards another "
        "constitutional referendum in Kazakhstan."
    )
    facts, _ = run(body)
    rows = [(e.country_id, e.election_type, e.election_date, e.is_snap) for e in facts.elections]
    assert rows == [
        ("KG", "parliamentary", date(2021, 1, 1), False),
        ("KZ", "referendum", date(2022, 5, 1), False),
        ("KZ", "referendum", None, False),
    ]


def test_snap_word_and_results() -> None:
    body = (
        "Ahead of the snap parliamentary elections in March 2023, two new parties were registered in Kazakhstan. "
        "After the vote, it became clear what the new parties were for. By gaining 8.5 p.c. of the votes, "
        "Respublica has become a new feature of politics.\n"
        "Amanat won 53.9 percent with 3,000 votes."
    )
    facts, names = run(body)
    [e] = facts.elections
    assert (e.election_type, e.election_date, e.is_snap) == ("parliamentary", date(2023, 3, 1), True)
    results = {
        names[r.party_mention_no].canonical_name: (r.vote_share_pct, r.vote_count, r.election_no)
        for r in facts.election_results
    }
    # a vote count that contradicts its share is kept as it is: the audit flags it, extraction does not judge
    assert results == {"Respublica": (8.5, None, 1), "Amanat": (53.9, 3000, 1)}


def test_general_statements_and_other_numbers_are_not_elections_or_results() -> None:
    body = (
        "Parliamentary elections in Kazakhstan have never been free. The economy grew 1.5 percent in 2014 and "
        "the tenge lost 19% of its value. Nur-Otan has dominated politics."
    )
    facts, _ = run(body)
    assert facts.elections == [] and facts.election_results == []


# ---------------------------------------------------------------------------------------- events


@pytest.mark.parametrize(
    ("sentence", "event_type"),
    [
        ("Kazakhstan’s Supreme Court refused to hear his appeal in September 2024.", "appeal_rejected"),
        ("YNTYMAQ had its registration rejected twice.", "registration_refused"),
        ("Respublica was registered on January 19.", "registration_granted"),
        ("The movement was banned as extremist in Kazakhstan.", "ban"),
        ("Nazarbayev resigned in March 2019.", "resignation"),
        ("Young activists were drafted into the army.", "conscription"),
        ("More than 230 people were killed during the unrest in early January 2022.", "violence"),
        ("Protesters gathered in Osh on March 9, 2005, demanding the president's resignation.", "protest"),
    ],
)
def test_event_types(sentence: str, event_type: str) -> None:
    facts, _ = run(sentence)
    assert event_type in {e.event_type for e in facts.events}
    for e in facts.events:
        assert 0 <= e.confidence <= 1


def test_event_participants_and_dates() -> None:
    facts, names = run("Zhanbolat Mamai was arrested in Almaty on February 27, 2022.")
    [event] = [e for e in facts.events if e.event_type == "detention"]
    assert (event.event_date, event.event_date_precision, event.location) == (
        date(2022, 2, 27),
        "day",
        "Almaty",
    )
    [p] = [p for p in facts.event_participants if p.event_no == event.event_no]
    assert (names[p.mention_no].canonical_name, p.role) == ("Zhanbolat Mamai", "target")


def test_empty_and_unsplit_input_do_not_crash() -> None:
    assert extract_facts("", [], [], ArticleInput("sha", "")) == Facts()
    body = "No sentences were given for this body."
    assert extract_facts(body, [], [], ArticleInput("sha", body)) == Facts()


def test_named_people_inside_a_group_and_possessive_arrest() -> None:
    body = (
        "Police briefly detained about 20 people, including journalist Lukpan Akhmedyarov, near the akimat in "
        "Uralsk. Zhanbolat Mamai's arrest sparked protests in Almaty. Police said 14 people had been detained."
    )
    facts, names = run(body)
    assert detainees(facts, names) == [20, "Lukpan Akhmedyarov", "Zhanbolat Mamai", 14]
    assert facts.detentions[0].location == "Uralsk"


def test_pretrial_detention_and_life_sentence_have_no_term() -> None:
    body = "Zhanbolat Mamai has been held in pretrial detention since March. Asiya Tulesova was sentenced to life."
    facts, _ = run(body)
    assert [(d.outcome, d.term_days, d.detained_date) for d in facts.detentions] == [
        ("unknown", None, None),
        ("sentenced", None, None),
    ]


def test_referendum_date_later_in_the_sentence_and_several_results() -> None:
    body = (
        "Kazakhstan will hold a referendum on building a nuclear power plant on October 6, 2024, Tokayev said.\n"
        "In the 2023 parliamentary vote, Amanat won 53.9% of the vote, followed by Auyl with 10.9% and Respublica "
        "with 8.59%. Six parties passed the 5% threshold, and turnout was 54.2%."
    )
    facts, names = run(body)
    rows = [(e.election_type, e.election_date, e.election_date_precision) for e in facts.elections]
    assert rows == [("referendum", date(2024, 10, 6), "day"), ("parliamentary", date(2023, 1, 1), "year")]
    shares = {names[r.party_mention_no].canonical_name: r.vote_share_pct for r in facts.election_results}
    assert shares == {"Amanat": 53.9, "Auyl": 10.9, "Respublica": 8.59}
    assert {r.election_no for r in facts.election_results} == {2}


# ------------------------------------------------------------------ detention rules added for unseen text


def test_term_lists_for_respectively() -> None:
    assert parse_term_list("sentenced to ten and seven and a half years respectively") == [3650, 2735]
    assert parse_term_list("to 5, 7 and 9 years in prison") == [1825, 2555, 3285]
    assert parse_term_list("to five years in prison") == []


def rows(facts: Facts, names: dict[int, Mention]) -> list[tuple[str | int | None, str, int | None]]:
    return [
        (
            names[d.detainee_mention_no].canonical_name if d.detainee_mention_no else d.detainee_count,
            d.outcome,
            d.term_days,
        )
        for d in facts.detentions
    ]


def test_each_object_of_one_verdict_keeps_its_own_term() -> None:
    body = (
        "The Medeu district court on May 3 sentenced Erlan Sadvakasov to 15 days in jail and Gulnara Temirova "
        "to 10 days of administrative arrest for taking part in the rally."
    )
    facts, names = run(body)
    assert rows(facts, names) == [
        ("Erlan Sadvakasov", "administrative_arrest", 15),
        ("Gulnara Temirova", "administrative_arrest", 10),
    ]


def test_respectively_and_apposition_before_the_term() -> None:
    body = (
        "The court sentenced Rustam Khaidarov, a lawyer and the editor of a local newspaper, to 12 years in "
        "prison. Bakyt Osmonov and Aziza Nurmatova were sentenced to nine and six and a half years "
        "respectively."
    )
    facts, names = run(body)
    assert rows(facts, names) == [
        ("Rustam Khaidarov", "sentenced", 4380),
        ("Bakyt Osmonov", "sentenced", 3285),
        ("Aziza Nurmatova", "sentenced", 2370),  # half a year is 180 days
    ]


def test_received_sentences_and_acquittals() -> None:
    body = (
        "Bakyt Osmonov received a three-year suspended sentence, while Aziza Nurmatova was acquitted. "
        "Ten others received sentences of between two and six years. "
        "Among those acquitted were former prosecutor Erlan Sadvakasov and activist Gulnara Temirova."
    )
    facts, names = run(body)
    assert rows(facts, names) == [
        ("Bakyt Osmonov", "suspended_sentence", 1095),
        ("Aziza Nurmatova", "released", None),
        (10, "sentenced", None),
        ("Erlan Sadvakasov", "released", None),
        ("Gulnara Temirova", "released", None),
    ]


@pytest.mark.parametrize(
    ("sentence", "count", "outcome"),
    [
        ("The reporters were among 14 people detained in raids on Tuesday.", 14, "unknown"),
        (
            "More than 40 people were killed and nearly 2,000 were detained during the unrest.",
            2000,
            "unknown",
        ),
        (
            "Police detained at least 30 people at the rally, most of whom were released the same evening.",
            30,
            "unknown",
        ),
        (
            "Police used tear gas and detained dozens of protesters on Monday night before retreating.",
            None,
            "unknown",
        ),
        (
            "4 various other accuseds were actually handed probationary sentences of 3 years.",
            4,
            "suspended_sentence",
        ),
        ("Several of Mamai's supporters who picketed the court were fined.", None, "fined"),
    ],
)
def test_group_detentions_in_harder_sentences(sentence: str, count: int | None, outcome: str) -> None:
    facts, _ = run(sentence)
    assert [(d.detainee_mention_no, d.detainee_count, d.outcome) for d in facts.detentions] == [
        (None, count, outcome)
    ]


def test_a_lede_that_counts_the_named_people_is_not_another_detention() -> None:
    body = (
        "A court in Almaty has jailed two activists after a rally.\n"
        "The court sentenced Erlan Sadvakasov to 15 days and Gulnara Temirova to 10 days in jail."
    )
    facts, names = run(body)
    assert detainees(facts, names) == ["Erlan Sadvakasov", "Gulnara Temirova"]


def test_the_detention_date_is_the_arrest_not_the_verdict() -> None:
    body = (
        "On March 3, 2023, a court sentenced Rustam Khaidarov to nine years in prison. "
        "Khaidarov was detained in Khujand on July 1, 2022."
    )
    facts, _ = run(body)
    [d] = facts.detentions
    assert (d.detained_date, d.detained_date_precision, d.term_days) == (date(2022, 7, 1), "day", 3285)


def test_a_soviet_era_arrest_has_no_date() -> None:
    facts, _ = run("The poet Rustam Khaidarov was first arrested in 1979 for anti-Soviet activity.")
    [d] = facts.detentions
    assert (d.detained_date, d.detained_date_precision) == (None, "unknown")
    assert all(e.event_date is None for e in facts.events)


def test_dateline_anchors_relative_dates_when_metadata_has_none() -> None:
    body = (
        "(Berlin, February 1, 2023) – A court has sentenced a lawyer, Human Rights Watch said today.\n"
        "Rustam Khaidarov was detained on January 5 and sentenced to 16 years in prison."
    )
    facts, _ = run(body)
    [d] = facts.detentions
    assert (d.detained_date, d.detained_date_precision) == (date(2023, 1, 5), "day")


def test_past_event_date_ignores_a_future_word_elsewhere_in_the_sentence() -> None:
    body = "Police detained Erlan Sadvakasov at a rally on February 26 against the upcoming elections."
    facts, _ = run(body, published=date(2023, 3, 2))
    [d] = facts.detentions
    assert d.detained_date == date(2023, 2, 26)


# ------------------------------------------------------------------ election rules added for unseen text


def test_wire_story_with_only_untyped_mentions_and_a_weekday_date() -> None:
    body = (
        "ALMATY, Nov 21 (Reuters) - Kazakh President Tokayev won a new seven-year term with 81.31% of the vote "
        "in Sunday's snap election, the Central Election Commission said. None of the other candidates "
        "received more than 3.5%. Tokayev called the early vote in September."
    )
    facts, names = run(body, published=date(2022, 11, 21))
    assert [(e.election_type, e.election_date, e.is_snap) for e in facts.elections] == [
        ("presidential", date(2022, 11, 20), True)
    ]
    assert [(names[r.actor_mention_no].canonical_name, r.vote_share_pct) for r in facts.election_results] == [
        ("Kassym-Jomart Tokayev", 81.31)
    ]


def test_presidential_share_goes_to_the_candidate_not_the_nominating_party() -> None:
    body = (
        "In the early presidential election held on July 9, 2023, Shavkat Mirziyoyev, nominated by the "
        "Liberal Democratic Party of Uzbekistan, received 87.05% of the vote. Dilnoza Karimova of Adolat "
        "received 4.47%."
    )
    facts, names = run(body)
    shares = [(names[r.actor_mention_no].canonical_name, r.vote_share_pct) for r in facts.election_results]
    assert shares == [("Shavkat Mirziyoyev", 87.05), ("Dilnoza Karimova", 4.47)]


def test_elected_terms_and_listed_years() -> None:
    body = (
        "Shavkat Mirziyoyev was first elected president in December 2016 and re-elected in October 2021 with "
        "80.1 percent.\n"
        "President Emomali Rahmon won a fifth term in October 2020 in Tajikistan.\n"
        "In Turkmenistan, Gurbanguly Berdimuhamedov won the presidential elections of 2007, 2012, and 2017, "
        "the last with 97.69 percent."
    )
    facts, names = run(body)
    got = [(e.country_id, e.election_type, e.election_date) for e in facts.elections]
    assert got == [
        ("UZ", "presidential", date(2016, 12, 1)),
        ("UZ", "presidential", date(2021, 10, 1)),
        ("TJ", "presidential", date(2020, 10, 1)),
        ("TM", "presidential", date(2007, 1, 1)),
        ("TM", "presidential", date(2012, 1, 1)),
        ("TM", "presidential", date(2017, 1, 1)),
    ]
    by_election = {
        facts.elections[r.election_no - 1].election_date: r.vote_share_pct for r in facts.election_results
    }
    assert by_election == {date(2021, 10, 1): 80.1, date(2017, 1, 1): 97.69}


def test_referendum_approval_share_same_day_local_vote_and_when_clause() -> None:
    body = (
        "In Sunday's referendum, 77.18 percent of voters backed the amendments in Kazakhstan, 18.6 percent "
        "voted against them. Elections to maslikhats were held on the same day.\n"
        "The referendum was the first since 1995, when Nazarbayev extended his rule by a plebiscite."
    )
    facts, _ = run(body, published=date(2022, 6, 7))
    got = [(e.election_type, e.election_date) for e in facts.elections]
    assert got == [
        ("referendum", date(2022, 6, 5)),
        ("local", date(2022, 6, 5)),
        ("referendum", date(1995, 1, 1)),
    ]
    [r] = facts.election_results
    assert (r.party_mention_no, r.actor_mention_no, r.vote_share_pct, r.election_no) == (None, None, 77.18, 1)


def test_dated_untyped_poll_joins_the_typed_snap_election() -> None:
    body = (
        "Serdar won an early presidential election in Turkmenistan with 72.97 per-cent of the vote.\n"
        "The snap poll on March 12 was called after his father announced in February that he would step down.\n"
        "His father won the presidential election of 2017."
    )
    facts, _ = run(body, published=date(2022, 3, 15))
    got = [(e.election_type, e.election_date, e.is_snap) for e in facts.elections]
    assert got == [("presidential", date(2022, 3, 12), True), ("presidential", date(2017, 1, 1), False)]
    assert [r.vote_share_pct for r in facts.election_results] == []  # no candidate named: no result row


def test_election_commission_demands_and_soviet_votes_are_not_elections() -> None:
    body = (
        "The Central Election Commission of Kazakhstan said turnout was 62 percent. "
        "In 1979 Soviet elections in Kazakhstan were a formality."
    )
    facts, _ = run(body)
    assert facts.elections == []


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("convicted him after a one-day trial", None),  # a trial's length is not a term
        ("sentenced in September 2022 to six years in prison", 2190),  # a year before 'to' is no range
    ],
)
def test_term_edge_cases(text: str, days: int | None) -> None:
    assert parse_term_days(text) == days


def test_court_ordered_custody_with_a_misparsed_list() -> None:
    # The parser reads 'Osmonov' as an interjection here; the list of names is still one list.
    # ('Several activists who fled to Kazakhstan after the unrest were detained' is lost: the small
    # model makes 'the unrest' the passive subject. A known limit of the parse, not tested for.)
    body = (
        "The district court ruled on March 13 that Bakyt Osmonov and Aziza Nurmatova, who both work for an "
        "independent outlet, must remain in custody until May 13."
    )
    facts, names = run(body)
    assert rows(facts, names) == [("Bakyt Osmonov", "unknown", None), ("Aziza Nurmatova", "unknown", None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Police released the names of 12 suspects on Monday.",
        "The ministry released a statement about the detained activists.",
    ],
)
def test_releasing_things_is_not_a_release(sentence: str) -> None:
    facts, _ = run(sentence)
    assert facts.detentions == []


def test_parliamentary_cues_beat_a_presidents_title_and_legislative_votes_are_no_elections() -> None:
    body = (
        "TASHKENT, Oct 28 (Reuters) - The party backing President Shavkat Mirziyoyev won 64 of the 150 seats in "
        "the lower house of parliament in Sunday's election in Uzbekistan.\n"
        "Lawmakers approved the bill in a vote on October 3.\n"
        "Turnout was reported by the Central Commission for Elections and Referendums."
    )
    facts, _ = run(body, published=date(2024, 10, 28))
    assert [(e.election_type, e.election_date) for e in facts.elections] == [
        ("parliamentary", date(2024, 10, 27))
    ]


def test_none_of_them_was_detained() -> None:
    body = "Several activists who campaigned against the draft were summoned, but none of them was detained."
    facts, _ = run(body)
    assert facts.detentions == []


def test_a_poll_won_is_an_election_an_opinion_poll_is_not() -> None:
    body = (
        "President Tokayev called the snap vote in Kazakhstan. He won a snap presidential poll in November 2022 "
        "with 81.3 percent of the vote. An opinion poll gave Amanat 60 percent."
    )
    facts, names = run(body)
    shares = [
        (names[r.actor_mention_no or r.party_mention_no].canonical_name, r.vote_share_pct)
        for r in facts.election_results
    ]
    assert shares == [("Kassym-Jomart Tokayev", 81.3)]


# ------------------------------------------------------------------------- blind-round rules (invented people)


def test_a_counted_part_of_an_earlier_group_does_not_change_the_group() -> None:
    body = (
        "Police confirmed the arrest of at least 11 people in Lebap province after they complained about flour. "
        "Five of them were later sentenced to between three and six years in prison."
    )
    facts, names = run(body)
    assert [(d.detainee_count, d.outcome) for d in facts.detentions] == [(11, "unknown")]


def test_an_amnesty_after_a_sentence_makes_the_outcome_a_release() -> None:
    body = (
        "Journalist Bakyt Osmonov, who was sentenced in 2022 to seven years, was freed on February 14 under "
        "an amnesty. Aziza Nurmatova was released on bail and later sentenced to five years in prison."
    )
    facts, names = run(body)
    outcomes = {names[d.detainee_mention_no].canonical_name: d.outcome for d in facts.detentions}
    assert outcomes == {"Bakyt Osmonov": "released", "Aziza Nurmatova": "sentenced"}


def test_a_sentence_replaced_with_probation_is_a_suspended_sentence() -> None:
    body = (
        "Gulnara Temirova was sentenced in June 2024 to five years in prison, but the sentence was replaced "
        "with a probationary period of three years."
    )
    facts, _ = run(body)
    [d] = facts.detentions
    assert (d.outcome, d.term_days) == ("suspended_sentence", 1095)


def test_a_definite_counted_group_after_the_names_and_a_headline_group_are_those_people() -> None:
    body = (
        "Dushanbe court jails relatives of exiled opposition figure\n"
        "A court in Dushanbe sentenced Rustam Khaidarov to 10 years in prison. Bakyt Osmonov received a "
        "three-year suspended sentence. According to relatives, the two men were arrested in Dushanbe last "
        "October."
    )
    facts, names = run(body, date(2025, 2, 18))
    assert detainees(facts, names) == ["Rustam Khaidarov", "Bakyt Osmonov"]


def test_a_conjunction_that_is_not_the_election_s_determiner() -> None:
    body = (
        "President Tokayev announced in early September that the referendum would be held on October 6, 2024."
    )
    facts, _ = run(body)
    [e] = facts.elections
    assert (e.election_type, e.election_date, e.is_snap) == ("referendum", date(2024, 10, 6), False)


def test_a_share_belongs_to_the_election_before_it_and_to_the_pronoun_s_winner() -> None:
    body = (
        "Shavkat Mirziyoyev won a third term in the snap presidential election of July 2023 with 87.1% of "
        "the vote, after a 2023 constitutional referendum reset his term count."
    )
    facts, names = run(body)
    by_no = {e.election_no: e for e in facts.elections}
    [r] = facts.election_results
    assert by_no[r.election_no].election_type == "presidential"
    body = (
        "Emomali Rahmon replaced Rustam Khaidarov, after a presidential election in Tajikistan on "
        "6 November 1994, which he won with 58.7% of the vote."
    )
    facts, names = run(body)
    [r] = facts.election_results
    assert names[r.actor_mention_no].canonical_name == "Emomali Rahmon"


def test_presidential_race_is_an_election() -> None:
    facts, _ = run("Kyrgyzstan is preparing for the presidential race expected in January 2027.")
    [e] = facts.elections
    assert (e.election_type, e.election_date_precision) == ("presidential", "month")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Police detained his younger brother, Rustam Khaidarov, in Dushanbe on Monday.",
            ["Rustam Khaidarov"],
        ),
        ("Police detained the journalist, Bakyt Osmonov.", ["Bakyt Osmonov"]),
        (
            "Police detained two activists, Erlan Sadvakasov and Gulnara Temirova, in Almaty on Monday.",
            ["Erlan Sadvakasov", "Gulnara Temirova"],
        ),
        # the name after the comma is the speaker, or the count is not the names': the group stays
        ("Police detained 20 protesters, Gulnara Temirova, a local rights defender, said on Monday.", [20]),
        ("Police detained 20 people in Almaty on Monday, Gulnara Temirova told reporters.", [20]),
    ],
)
def test_a_name_in_apposition_to_the_object_is_the_detainee(body: str, expected: list) -> None:
    facts, names = run(body)
    assert detainees(facts, names) == expected


def test_seats_won_by_an_unnamed_subject_are_not_given_to_a_party_in_the_next_clause() -> None:
    body = (
        "Parliamentary elections were held in Kyrgyzstan on November 28, 2021. The Social Democrats won 12 seats, "
        "while Adolat failed to pass the threshold. Amanat received 62 seats."
    )
    facts, names = run(body)
    holders = [
        (names[r.party_mention_no].canonical_name if r.party_mention_no else None, r.seats)
        for r in facts.election_results
    ]
    assert holders == [("Amanat", 62)]


# --------------------------------------------------------------- episodes (real article sentences)
# From evaluation/cases/articles (RFE/RL 604, Freedom for Eurasia 624, AFP via New Indian Express
# 613): one article, two episodes of one person; and a sentence with another event's date.


def test_an_article_that_retells_an_earlier_episode_gives_it_its_own_row() -> None:
    body = (
        "Mamai's wife, Inga Imanbai, posted video of Mamai's February 21 detention on Facebook.\n\n"
        "In 2017, Mamai was convicted on money-laundering charges that he and his supporters say were "
        "politically motivated and given a three-year suspended sentence, which is still in force."
    )
    facts, names = run(body)
    rows = [(d.detained_date, d.detained_day_month, d.outcome) for d in facts.detentions]
    assert {names[d.detainee_mention_no].canonical_name for d in facts.detentions} == {"Zhanbolat Mamai"}
    assert rows == [(None, "02-21", "unknown"), (date(2017, 1, 1), None, "suspended_sentence")]


def test_a_verdict_with_another_term_dated_years_before_is_another_episode() -> None:
    body = (
        "Tajimuratov was sentenced to 16 years in the strict-regime colony, with the first two years to be "
        "served in prison.\n\n"
        "Tajimuratov had been previously sentenced to two years on December 9, 2016, but was released on "
        "March 17, 2017, under Article 73 of the Criminal Code."
    )
    facts, _ = run(body)
    rows = [(d.term_days, d.detained_date, d.outcome) for d in facts.detentions]
    assert rows == [(5840, None, "sentenced"), (730, date(2016, 12, 9), "released")]


def test_a_date_the_parse_gives_to_another_event_does_not_date_the_arrest() -> None:
    body = (
        "Sadyr Japarov, a nationalist politician from the country's eastern Issyk-Kul region was arrested in "
        "connection with unrest dating back to 2013 Saturday as he crossed over the border from Kazakhstan."
    )
    facts, _ = run(body, published=date(2017, 3, 25))
    [d] = facts.detentions
    assert d.detained_date != date(2013, 1, 1)
    assert d.reported_date == date(2017, 3, 25)


def test_a_plural_relative_clause_on_listed_names_is_about_all_of_them() -> None:
    # dev-en-013 (Interfax): the parser coordinates 'arrested' with 'seize', not with 'indicted'
    body = (
        "Supporters of parliamentarians Kamchibek Tashiyev, Sadyr Zhaparov, and Talant Mamytov of the "
        "Ata-Zhurt party, who have been indicted for an attempt to seize power and arrested for two months, "
        "intend to hold peaceful rallies in Osh and Jalal-Abad and demand their release."
    )
    facts, names = run(body)
    rows = [(names[d.detainee_mention_no].canonical_name, d.outcome, d.term_days) for d in facts.detentions]
    assert rows == [
        ("Kamchybek Tashiev", "unknown", 60),
        ("Sadyr Japarov", "unknown", 60),
        ("Talant Mamytov", "unknown", 60),
    ]
