"""Entity extraction end to end through the spaCy pipeline (the model is loaded once per module)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from flows.extract import EXTRACTOR_VERSION, extract_articles
from flows.extract.model import ArticleExtraction, ArticleInput, Mention
from flows.extract.names import name_key
from flows.extract.nlp import segments
from flows.extract.reference import load_reference, seeds_fingerprint

# Every name of a person and party below is invented: none is in the reference seeds.
INVENTED = """ASTANA -- Civil activist Yerzhan Temirbolatov and journalist Saule Kurmangaliyeva were detained \
in Almaty on Monday, their lawyer said.

Temirbolatov, the leader of the unregistered Adal Bolashaq party, told reporters that the Ministry of Justice \
had refused registration to his party three times. "We will keep trying," Temirbolatov said.

Kazakh President Qasym-Zhomart Toqaev promised reforms last year. Political analyst Dauren Abenov said \
Tokayev's promises had not been kept. Kurmangalieva later wrote that she was released.

Members of the Zhana Qadam movement also gathered outside the Supreme Court."""

SPUN = """Bolat Sarsenbekov, chief of the unregistered KEMEL political get together, wrote to the president.
In Kazakhstan the Democratic Occasion and the ruling Nur Otan were mentioned. Sarsenbekov said the refusals were unfair."""

REVOLT = """President Askar Akayev appointed his son Aydar Akayev to a post. Protesters demanded that Akayev resign.
Opposition leader Tamir Sariyev joined the rally; Temir Sariyev later became prime minister."""


# Held-out style traps; every person and the unknown parties are invented.
PAGE = """BISHKEK -- Speaker Almazbek Turgunbek uulu opened the session. \
Deputy Minister of Preschool and School Education Dilnoza Ergasheva was dismissed; her husband, \
businessman Bahodir Ergashev, was detained. Ergasheva has not been charged.

"There will be no untouchables," Akmal Nuriddinov, director of the Anti-Corruption Agency, told journalists.

The independent investigative outlet Ayan Media and the human rights group Atajurt Eriktileri protested.

Another nephew, Samat Abishev, lost his post.

The Social Democrats, a registered party led by Temirlan Sultanaliev, objected. The exiled Republican Party of \
Turkmenistan has never been registered. Kholmatov announced the Adolatli Jamiyat party, but the Justice \
Ministry refused to register it. The National Alliance of Tajikistan has been declared extremist.

The Social Democratic Party of Kyrgyzstan and Aq Jol were mentioned too.

Related

Macron Hosts Central Asian Leaders In Paris

Kazakh Court Jails Blogger For Insulting Police
"""

KAZAKH_CHAMBER = """ASTANA -- Timur Kulibekov had to step down as head of the national chamber of entrepreneurs, \
Atameken, in Kazakhstan in January."""

SPUN_TJ = """Tajik chief Emomali Rahmon once more referred to as the Islamic Revival get together of Tajikistan a \
terrorist organisation. The ruling Folks's Democratic Get together of Tajikistan holds 47 seats."""


# Two people sharing a surname; slogan party names; status cues that are other words. All invented.
SHARED_SURNAME = """Human rights groups call for the release of activist Aynura Saparova.

Saparova, 38, was detained by police in Ashgabat on 27 March. Her mother, Gulshat Saparova, was warned.

The Alga, Kyrgyzstan! party was refused registration. The Zhana Kun movement is banned as extremist under \
a court ruling from 2018 that also covers the Democratic Choice of Kazakhstan (DVK). The Ak Bulak movement \
has tried and failed to register.

A deputy of the Supreme Council, Temir Akmatov, was fined for drunk driving in Chui region."""


def _article(body: str, language: str = "en") -> ArticleInput:
    return ArticleInput(
        hashlib.sha256(body.encode()).hexdigest(),
        body,
        published_date=date(2024, 5, 1),
        published_date_precision="day",
        language=language,
    )


@pytest.fixture(scope="module")
def extracted() -> dict[str, ArticleExtraction]:
    bodies = {
        "invented": INVENTED,
        "spun": SPUN,
        "revolt": REVOLT,
        "other": "Presidentti Tokajev vieraili Almatyssa.",
        "tokayev": "Kassym-Jomart Tokayev spoke in Astana.",
        "toqaev": "Qasym-Zhomart Toqaev spoke in Astana.",
        "page": PAGE,
        "chamber": KAZAKH_CHAMBER,
        "spun_tj": SPUN_TJ,
        "shared_surname": SHARED_SURNAME,
    }
    articles = [_article(b, "fi" if k == "other" else "en") for k, b in bodies.items()]
    return dict(zip(bodies, extract_articles(articles), strict=True))


def _persons(ex: ArticleExtraction) -> list[Mention]:
    return [m for m in ex.mentions if m.entity_type == "person"]


def _by_type(ex: ArticleExtraction, kind: str) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in ex.mentions:
        if m.entity_type == kind:
            out.setdefault(m.canonical_name, []).append(m)
    return out


def test_offsets_index_the_body(extracted: dict[str, ArticleExtraction]) -> None:
    bodies = {"invented": INVENTED, "spun": SPUN, "revolt": REVOLT}
    for key, body in bodies.items():
        ex = extracted[key]
        assert ex.mentions
        for m in ex.mentions:
            assert body[m.char_start : m.char_end] == m.surface_text
            assert m.name_key == name_key(m.canonical_name)
        spans = [(m.char_start, m.char_end) for m in ex.mentions]
        assert len(spans) == len(set(spans)), "one mention per span"
        assert [m.mention_no for m in ex.mentions] == list(range(1, len(ex.mentions) + 1))


def test_unknown_people_are_found_and_resolved(extracted: dict[str, ArticleExtraction]) -> None:
    people = _by_type(extracted["invented"], "person")
    assert {"Yerzhan Temirbolatov", "Saule Kurmangaliyeva", "Dauren Abenov"} <= set(people)
    # surname-only mentions resolve to the full name in the same article
    surnames = [m for m in people["Yerzhan Temirbolatov"] if m.surface_text == "Temirbolatov"]
    assert len(surnames) >= 2
    # a variant spelling of the surname joins the same person
    assert any(m.surface_text == "Kurmangalieva" for m in people["Saule Kurmangaliyeva"])


def test_roles_and_party_tie(extracted: dict[str, ArticleExtraction]) -> None:
    people = _by_type(extracted["invented"], "person")
    assert "activist" in people["Yerzhan Temirbolatov"][0].roles
    assert "journalist" in people["Saule Kurmangaliyeva"][0].roles
    assert "analyst" in people["Dauren Abenov"][0].roles
    leader = [m for m in people["Yerzhan Temirbolatov"] if m.party_name_key]
    assert leader and leader[0].party_name_key == name_key("Adal Bolashaq")
    assert "party_leader" in leader[0].roles


def test_unknown_party_and_movement_are_discovered(extracted: dict[str, ArticleExtraction]) -> None:
    parties = _by_type(extracted["invented"], "party")
    assert "Adal Bolashaq" in parties
    adal = parties["Adal Bolashaq"][0]
    assert adal.party_status == "unregistered"
    assert adal.party_kind == "party"
    assert adal.ref_id is None
    assert adal.country_id == "KZ"
    assert parties["Zhana Qadam"][0].party_kind == "movement"


def test_organizations_are_not_parties(extracted: dict[str, ArticleExtraction]) -> None:
    ex = extracted["invented"]
    orgs = {m.surface_text for m in ex.mentions if m.entity_type == "organization"}
    assert {"Ministry of Justice", "Supreme Court"} <= orgs
    party_surfaces = {m.surface_text for m in ex.mentions if m.entity_type == "party"}
    assert not party_surfaces & orgs


def test_demonyms_and_cities_are_countries_not_people(extracted: dict[str, ArticleExtraction]) -> None:
    ex = extracted["invented"]
    assert not any("Kazakh" in m.surface_text for m in _persons(ex))
    countries = {m.surface_text: m.country_id for m in ex.mentions if m.entity_type == "country"}
    assert countries.get("Kazakh") == "KZ"
    assert countries.get("Almaty") == "KZ"


def test_titles_are_stripped_and_reference_people_linked(extracted: dict[str, ArticleExtraction]) -> None:
    people = _by_type(extracted["invented"], "person")
    tokayev = people["Kassym-Jomart Tokayev"]
    assert {m.surface_text for m in tokayev} == {"Qasym-Zhomart Toqaev", "Tokayev"}
    assert all(m.ref_id == "kz-kassym-jomart-tokayev" for m in tokayev)
    assert "president" in tokayev[0].roles


def test_two_spellings_in_two_articles_give_one_identity(extracted: dict[str, ArticleExtraction]) -> None:
    a = _persons(extracted["tokayev"])
    b = _persons(extracted["toqaev"])
    assert a and b
    assert a[0].canonical_name == b[0].canonical_name == "Kassym-Jomart Tokayev"
    assert a[0].ref_id == b[0].ref_id == "kz-kassym-jomart-tokayev"
    assert a[0].name_key == b[0].name_key


def test_spun_party_words(extracted: dict[str, ArticleExtraction]) -> None:
    ex = extracted["spun"]
    parties = _by_type(ex, "party")
    assert "KEMEL" in parties and parties["KEMEL"][0].party_status == "unregistered"
    assert "Democratic Party of Kazakhstan" in parties  # 'Democratic Occasion'
    assert parties["Amanat"][0].surface_text == "Nur Otan"
    assert parties["Amanat"][0].party_status == "registered"
    leader = _by_type(ex, "person")["Bolat Sarsenbekov"][0]
    assert leader.party_name_key == name_key("KEMEL")


def test_guarded_resolution_of_shared_surnames(extracted: dict[str, ArticleExtraction]) -> None:
    people = _by_type(extracted["revolt"], "person")
    assert "Askar Akayev" in people and "Aydar Akayev" in people
    bare = [m for m in extracted["revolt"].mentions if m.surface_text == "Akayev"]
    assert bare and bare[0].canonical_name == "Askar Akayev"  # the reference figure wins the tie
    assert {m.surface_text for m in people["Temir Sariyev"]} == {"Tamir Sariyev", "Temir Sariyev"}
    assert len({m.ref_id for m in people["Temir Sariyev"]}) == 1


def test_non_english_articles_are_skipped(extracted: dict[str, ArticleExtraction]) -> None:
    assert extracted["other"].mentions == []


def test_segments_cover_the_body_exactly() -> None:
    body = "Title line\n\nFirst sentence. Second\nline of a wrapped paragraph that goes on and on and on and on here\nend.\n"
    cuts = segments(body)
    assert body[cuts[0][0] : cuts[0][1]] == "Title line"
    assert all(not body[s:e].startswith((" ", "\n")) for s, e in cuts)
    assert len(cuts) == 2  # the wrapped paragraph stays whole


def test_version_follows_the_seeds() -> None:
    assert EXTRACTOR_VERSION.endswith(seeds_fingerprint())
    ref = load_reference()
    assert ref.parties["kz-dvk"].registration_status == "banned"
    assert ref.country_of("Nur-Sultan") == ("KZ", "capital")


def test_titles_patronymics_and_appositions_give_people(extracted: dict[str, ArticleExtraction]) -> None:
    people = _by_type(extracted["page"], "person")
    assert "Almazbek Turgunbek uulu" in people  # the patronymic belongs to the name
    assert "Dilnoza Ergasheva" in people  # after 'Deputy Minister of <long ministry name>'
    assert "Akmal Nuriddinov" in people  # 'X, director of ...'
    assert "Samat Abishev" in people  # after a kinship word
    # a wife's surname is not her husband's: the bare 'Ergasheva' stays with her
    assert {m.surface_text for m in people["Dilnoza Ergasheva"]} == {"Dilnoza Ergasheva", "Ergasheva"}
    assert {m.surface_text for m in people["Bahodir Ergashev"]} == {"Bahodir Ergashev"}


def test_organisation_cues_beat_name_shape(extracted: dict[str, ArticleExtraction]) -> None:
    ex = extracted["page"]
    people = _by_type(ex, "person")
    assert "Ayan Media" not in people and "Atajurt Eriktileri" not in people
    chamber = extracted["chamber"]
    assert not _by_type(chamber, "party"), "Atameken the chamber is not Kyrgyzstan's Ata-Meken party"


def test_party_discovery_and_status_cues(extracted: dict[str, ArticleExtraction]) -> None:
    parties = _by_type(extracted["page"], "party")
    assert parties["Social Democrats"][0].party_status == "registered"  # 'X, a registered party'
    assert (
        parties["Republican Party of Turkmenistan"][0].party_status == "unregistered"
    )  # 'never been registered'
    assert parties["Adolatli Jamiyat"][0].party_status == "unregistered"  # 'refused to register it'
    alliance = parties["National Alliance of Tajikistan"][0]
    assert alliance.party_kind == "movement" and alliance.party_status == "banned"
    # another romanisation of a reference party, and the country its name carries
    # (a Kyrgyz story: Kyrgyzstan's Ak Jol, not Kazakhstan's Ak Zhol that shares the key)
    aq_jol = [m for m in extracted["page"].mentions if m.surface_text == "Aq Jol"]
    assert aq_jol and aq_jol[0].entity_type == "party" and aq_jol[0].ref_id == "kg-ak-jol"
    countries = {m.surface_text for m in extracted["page"].mentions if m.entity_type == "country"}
    assert "Kyrgyzstan" in countries


def test_link_lists_are_not_data(extracted: dict[str, ArticleExtraction]) -> None:
    ex = extracted["page"]
    assert not any("Macron" in m.surface_text for m in ex.mentions)
    assert all(m.char_start < PAGE.index("Related") for m in ex.mentions)


def test_spun_party_with_country(extracted: dict[str, ArticleExtraction]) -> None:
    parties = _by_type(extracted["spun_tj"], "party")
    assert parties["Islamic Renaissance Party of Tajikistan"][0].party_status == "banned"
    pdpt = parties["People's Democratic Party of Tajikistan"][0]
    assert pdpt.ref_id == "tj-pdpt" and pdpt.party_status == "registered"


def test_a_shared_surname_goes_to_the_only_person_introduced_so_far(
    extracted: dict[str, ArticleExtraction],
) -> None:
    bare = [m for m in extracted["shared_surname"].mentions if m.surface_text == "Saparova"]
    assert [m.canonical_name for m in bare] == ["Aynura Saparova"]


def test_slogan_party_names_and_status_words_in_other_senses(extracted: dict[str, ArticleExtraction]) -> None:
    parties = {m.surface_text: m for m in extracted["shared_surname"].mentions if m.entity_type == "party"}
    assert "Alga, Kyrgyzstan!" in parties and "Kyrgyzstan!" not in parties
    assert parties["Alga, Kyrgyzstan!"].party_status == "unregistered"
    assert parties["DVK"].party_status == "banned"  # 'a court ruling' is not 'the ruling party'
    assert parties["Ak Bulak"].party_status == "unregistered"


def test_a_name_in_apposition_to_a_post_of_an_institution(extracted: dict[str, ArticleExtraction]) -> None:
    assert "Temir Akmatov" in _by_type(extracted["shared_surname"], "person")


def test_an_outlet_named_after_its_founder_is_an_organisation_not_a_person() -> None:
    body = (
        "Temirov Live, an investigative outlet, reported on Tuesday that police had searched its office. "
        "Its founder Bolot Temirov left Kyrgyzstan in 2022."
    )
    [ex] = extract_articles([_article(body)])
    assert "Temirov Live" in _by_type(ex, "organization")
    assert [m.canonical_name for m in _persons(ex)] == ["Bolot Temirov"]
