"""Argument shapes of the parse-based fact finder, each on a sentence taken from a real article.

The sentences are quoted from the development articles (`../shared/corpus/dev/en/NNN.txt`, cited
per case) and the sample corpus; each test runs the whole extractor (spaCy NER, the parser pass,
entity resolution, the fact rules) on that text alone, as extraction would.
"""

from __future__ import annotations

from datetime import date

import pytest

from flows.extract import extract_articles
from flows.extract.model import ArticleExtraction, ArticleInput


def extract(text: str, published: date | None = None, title: str | None = None) -> ArticleExtraction:
    article = ArticleInput(
        "sha",
        text,
        title=title,
        published_date=published,
        published_date_precision="day" if published else "unknown",
    )
    [extraction] = list(extract_articles([article]))
    for rec in [
        *extraction.facts.detentions,
        *extraction.facts.elections,
        *extraction.facts.election_results,
    ]:
        assert text[rec.char_start : rec.char_end] == rec.evidence_text  # evidence offsets hold
    return extraction


def detentions(text: str, published: date | None = None) -> list[tuple]:
    """(detainee name or group count, outcome, term_days) per detention row, in order."""
    ex = extract(text, published)
    names = {m.mention_no: m.canonical_name for m in ex.mentions}
    return [
        (
            names[d.detainee_mention_no] if d.detainee_mention_no else d.detainee_count,
            d.outcome,
            d.term_days,
        )
        for d in ex.facts.detentions
    ]


def detainees(text: str) -> list:
    return [row[0] for row in detentions(text)]


def test_object_list_of_six_names_shares_the_term() -> None:
    # dev-en-001 (RFE/RL): the parser hangs the last name on the verb and reads one as an apposition
    text = (
        "On April 25, the Almaty City Administrative Court sentenced Aigerim Tileuzhan, Alina Bermenqul, "
        "Bauyrzhan Atinbaev, Beken Beisalieva, Qonai Abdiev, and Doszhan Quanysh to 20 days in jail for the "
        "demonstration."
    )
    rows = detentions(text)
    assert [r[0] for r in rows] == [
        "Aigerim Tileuzhan",
        "Alina Bermenqul",  # tagged ORG by the model; the list makes it a person
        "Bauyrzhan Atinbaev",
        "Beken Beisalieva",
        "Qonai Abdiev",
        "Doszhan Quanysh",
    ]
    assert {(r[1], r[2]) for r in rows} == {("administrative_arrest", 20)}


def test_passive_subject_in_apposition_to_a_common_noun() -> None:
    # dev-en-002 (RFE/RL)
    text = (
        "A court in Kazakhstan sentenced 60-year-old Serik Zhakhin to one year of freedom limitation.\n"
        "The same day, another activist, Erkin Qaziev was handed the same sentence."
    )
    assert detainees(text) == ["Serik Zhakhin", "Erkin Qaziev"]


def test_counted_subject_apposed_to_names_is_those_names() -> None:
    # dev-en-001: 'Three more activists, A, B, and C were each fined'
    text = (
        "Three more activists, Bulbul Berdiqozhanova, Esenbai Khodzhiev, and Bayan Shyrynbekova were each "
        "fined 91,890 tenges ($205)."
    )
    assert detentions(text) == [
        ("Bulbul Berdiqozhanova", "fined", None),
        ("Esenbai Khodzhiev", "fined", None),
        ("Bayan Shyrynbekova", "fined", None),
    ]


def test_inverted_among_those_held() -> None:
    # dev-en-006 (neweurasia): named people and an unnamed pair
    text = (
        "Among those held by the police in Almaty were blogger Askhat Bersalimov, rights activist Yerlan "
        "Kaliyev and the parents of a businessman arrested on corruption charges."
    )
    assert {"Askhat Bersalimov", "Yerlan Kaliyev", 2} <= set(detainees(text))


def test_inverted_copula_with_a_misspelt_trigger_and_parenthesised_terms() -> None:
    # dev-en-021 (Eurasianet), 'senteced' as printed
    text = (
        "The others senteced were Rahmatullo Rajab, Kiemiddin Avazov, Abdukahhor Davlat, Sattor Karimov "
        "(28 years), Zubaydulloh Roziq (25 years), Fayzmuhammad Muhammadalii (23 years), Rustam Sadiddin (20 "
        "years), Vohidkhon Qosiddinov (20 years), Hikmatullo Sayfullozoda (16 years), Mahmadsharif Nabiev and "
        "Abdusamad Ghairatov (14 years)."
    )
    terms = {row[0]: row[2] for row in detentions(text)}
    assert len(terms) == 11
    assert terms["Sattor Karimov"] == 28 * 365
    assert terms["Zubaydulloh Roziq"] == 25 * 365
    # a term after a pair covers both
    assert terms["Mahmadsharif Nabiev"] == terms["Abdusamad Ghairatov"] == 14 * 365


def test_gapped_list_of_terms_and_names() -> None:
    # dev-en-020 (perild.com): 'TERM – NAME' pairs after the trigger, then a run of six at 8 years
    text = (
        "Oralbai Dosnazarov received the longest term – 11 years in prison, 10.5 years – Omirbek Kurbanov, "
        "9 years – Dauranbek Ramanov, 8 years – Rustam Dosymbetov, Nuratdiyin Khabipov, Zamirbek Tadzhimuratov, "
        "Azamat Allanazarov, Asylbek Omirzakov and Sharapat Ashirbekov."
    )
    terms = {row[0]: row[2] for row in detentions(text)}
    assert terms["Oralbai Dosnazarov"] == 11 * 365
    assert terms["Omirbek Kurbanov"] == 10 * 365 + 180
    assert terms["Dauranbek Ramanov"] == 9 * 365
    assert [terms.get(n) for n in ("Rustam Dosymbetov", "Nuratdiyin Khabipov", "Sharapat Ashirbekov")] == [
        8 * 365
    ] * 3


def test_found_guilty_takes_the_small_clause_subjects() -> None:
    # dev-en-004 (RFE/RL)
    text = (
        "According to the activists, a court in Nur-Sultan late on December 9 found Gulmira Khalyqova and "
        "Ghalia Tamambaeva guilty of taking part in an unsanctioned rally."
    )
    assert detainees(text) == ["Gulmira Khalyqova", "Ghalia Tamambaeva"]


def test_a_definite_counted_group_is_the_people_just_named() -> None:
    # dev-en-004: 'The two women were sentenced to 10 days in jail each.'
    text = (
        "A court found Gulmira Khalyqova and Ghalia Tamambaeva guilty of taking part in an unsanctioned rally.\n"
        "The two women were sentenced to 10 days in jail each."
    )
    assert detentions(text) == [
        ("Gulmira Khalyqova", "administrative_arrest", 10),
        ("Ghalia Tamambaeva", "administrative_arrest", 10),
    ]


def test_ordered_to_pay_is_a_fine() -> None:
    # dev-en-009 (RFE/RL)
    text = (
        "Aizhan Zholdasova and Ermek Qonyshbai were ordered on August 19 to pay 110,740 tenges ($230) each, "
        "while Azia Abieva was fined 77, 532 tenges ($161)."
    )
    assert detentions(text) == [
        ("Aizhan Zholdasova", "fined", None),
        ("Ermek Qonyshbai", "fined", None),
        ("Azia Abieva", "fined", None),
    ]


def test_role_noun_whose_phrase_closes_on_a_name() -> None:
    # dev-en-009: the name is parsed as a conjunct of the party's name
    text = (
        "In November, a court in Astana sentenced the chairman of Algha, Qazaqstan, Marat Zhylanbaev, to "
        "seven years in prison on extremism charges."
    )
    assert detentions(text) == [("Marat Zhylanbaev", "sentenced", 7 * 365)]


def test_wanted_to_be_sentenced_is_not_a_sentence() -> None:
    # dev-en-012 (Interfax): the prosecution's demand, not a verdict
    text = "The prosecution wanted Kachymbek Tashiyev to be sentenced to 10 years in prison."
    assert detentions(text) == []


def test_passive_conjunct_shares_the_subject() -> None:
    # the sample corpus (003): 'Izbasarov was detained and sentenced to 15 days in prison'
    text = (
        "A civil activist, Alimzhan Izbasarov, joined the protest on May 1.\n"
        "Izbasarov was detained and sentenced to 15 days in prison, and afterwards he received an "
        "enlistment notice."
    )
    assert detentions(text) == [("Alimzhan Izbasarov", "administrative_arrest", 15)]


def test_unnamed_counted_group_and_pretrial_term() -> None:
    # dev-en-013 (Interfax): a released group, and a pretrial term read from the pronoun's clause
    text = (
        '"Twenty-two participants in the October 3 rally in Bishkek, who were taken to police, have been '
        'released now," the Bishkek city police department told Interfax on Saturday.\n'
        "The National Security Committee told Interfax that one man identified as Kubatbek Kozhonaliyev has "
        "been detained under an investigation into an attempt to violently seize power.\n"
        '"He has so far been detained for 48 hours and is being held at the National Security Committee '
        'detention facility," it said.'
    )
    rows = detentions(text)
    assert (22, "released", None) in rows
    assert ("Kubatbek Kozhonaliyev", "unknown", 2) in rows


def test_a_demanded_release_is_no_detention() -> None:
    # the sample corpus (002): a rally's demands
    text = (
        '"Four main points will be announced at the rally: the release of all political prisoners; the boycott '
        'of the January 10 parliamentary election," Mamai said.'
    )
    assert detentions(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one shape each, written for the shape (the examples)
        ("Police detained a 30-year-old resident of Shymkent on Monday.", [1]),
        ("Police detained several members of a youth movement in Almaty on Saturday.", [None]),
        ("Zhanbolat Mamai's arrest sparked protests in Almaty.", ["Zhanbolat Mamai"]),
    ],
)
def test_unnamed_and_possessive_shapes(text: str, expected: list) -> None:
    assert detainees(text) == expected


def results(text: str, published: date | None = None, title: str | None = None) -> dict:
    ex = extract(text, published, title)
    names = {m.mention_no: m.canonical_name for m in ex.mentions}
    return {
        names[r.actor_mention_no or r.party_mention_no]: (r.vote_share_pct, r.seats)  # type: ignore[index]
        for r in ex.facts.election_results
    }


def test_winner_is_the_subject_not_the_dateline_place() -> None:
    # dev-en-007 (Deccan Chronicle): the parser makes 'Nur-Sultan' a second subject
    text = (
        "Nur-Sultan: Incumbent President Kassym-Jomart Tokayev has won the presidential election in Kazakhstan "
        "with 70.76 per cent of the votes, according to preliminary results shared by the country's election "
        "commission on Tuesday."
    )
    assert results(text) == {"Kassym-Jomart Tokayev": (70.76, None)}


def test_gapped_candidate_list() -> None:
    # dev-en-014 (The Times of Central Asia)
    text = (
        "First official results from today's presidential election in Kyrgyzstan show that Sooronbai "
        "Jeenbekov is leading.\n"
        "Jeenbekov had won 54.73 percent of the votes, his main rival Omurbek Babanov 33.83 percent, Adakhan "
        "Madumarov 6.46 percent, and Temir Sariyev 2.56 percent."
    )
    shares = {name: share for name, (share, _) in results(text).items()}
    assert shares == {
        "Sooronbay Jeenbekov": 54.73,
        "Omurbek Babanov": 33.83,
        "Adakhan Madumarov": 6.46,
        "Temir Sariyev": 2.56,
    }


def test_party_list_share_and_elliptic_seats() -> None:
    # dev-en-022 (RFE/RL): the official announcing the share holds none of it
    text = (
        "Central Election Commission Chairman Bakhtiyor Khudoyorzoda announced preliminary results of the "
        "parliamentary elections on March 2 showing 50.4 percent of the ballots cast supported the ruling "
        "People's Democratic Party, securing 47 seats in the 63-seat Majlisi Namoyandagon.\n"
        "The Agrarian Party secured 7 seats, the Party of Economic Reforms won five, and the Communist Party got "
        "two seats."
    )
    got = {name.removesuffix(" of Tajikistan"): figures for name, figures in results(text).items()}
    assert got["People's Democratic Party"] == (50.4, 47)
    assert got["Party of Economic Reforms"] == (None, 5)
    assert got["Agrarian Party"] == (None, 7)


def test_weekday_resolved_from_the_page_date_line() -> None:
    # dev-en-017 (Just Earth News): the date line became the title; 'on Sunday' is 2023-07-09
    title = "Just Earth News | @justearthnews | 10 Jul 2023, 10:41 pm Print"
    text = (
        "Uzbekistan's President Shavkat Mirziyoyev was re-elected with 87.05 percent of the vote in his favour "
        "on Sunday, the country's Central Election Commission announced Monday citing preliminary results."
    )
    ex = extract(text, title=title)
    [election] = ex.facts.elections
    assert (election.election_type, election.election_date) == ("presidential", date(2023, 7, 9))
    assert [r.vote_share_pct for r in ex.facts.election_results] == [87.05]
