"""The Russian path, on sentences and articles from real Russian-language news.

Every text here is real published journalism (the Russian development articles, see
`corpus/ru/README.md` and the development set's SOURCES.md); none is written for the test.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.extract.model import ArticleInput
from flows.extract.russian import extract_russian
from flows.extract.russian.dates import find_dates

RU_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "ru"


def _extract(text: str, published: date | None = None):
    article = ArticleInput("t", text, language="ru", published_date=published)
    extraction = extract_russian(article)
    names = {m.mention_no: m.canonical_name for m in extraction.mentions}
    return extraction, names


def _detentions(text: str) -> dict[object, tuple[str, int | None]]:
    extraction, names = _extract(text)
    return {
        names.get(d.detainee_mention_no, d.detainee_count): (d.outcome, d.term_days)
        for d in extraction.facts.detentions
    }


# ---------------------------------------------------------------- names


def test_oblique_names_get_their_nominative_and_one_latin_form():
    # Vlast, 2025: five activists named in the accusative after a dash
    text = (
        "Пятерых арестовали на два месяца - Нурлана Жаулибаева, Жаната Казакбая, Фазылжана Сыздыкова, "
        "Нурлана Темиргалиева и Айдара Мубаракова."
    )
    extraction, _ = _extract(text)
    people = {m.canonical_name for m in extraction.mentions if m.entity_type == "person"}
    assert people == {
        "Nurlan Zhaulibayev",
        "Zhanat Kazakbay",
        "Fazylzhan Syzdykov",
        "Nurlan Temirgaliyev",
        "Aydar Mubarakov",
    }
    surfaces = {m.surface_text for m in extraction.mentions if m.entity_type == "person"}
    assert "Нурлана Жаулибаева" in surfaces  # the evidence keeps the printed form


def test_a_reference_person_in_an_oblique_case_is_the_reference_actor():
    # Fergana: 'ЦИК объявила Шавката Мирзиёева победителем на выборах президента Узбекистана'
    extraction, _ = _extract(
        "ЦИК объявила Шавката Мирзиёева победителем на выборах президента Узбекистана\n\n"
        "Архивное фото пресс-службы президента Узбекистана\n\n"
    )
    person = next(m for m in extraction.mentions if m.entity_type == "person")
    assert (person.canonical_name, person.ref_id) == ("Shavkat Mirziyoyev", "uz-shavkat-mirziyoyev")
    assert any(m.entity_type == "country" and m.country_id == "UZ" for m in extraction.mentions)


def test_surname_first_is_put_in_order():
    text = "По 15 суток ареста получили Ербол Есхожин (Астана), Амренов Канатхан, Назгуль Жусупова."
    extraction, _ = _extract(text)
    people = {m.canonical_name for m in extraction.mentions if m.entity_type == "person"}
    assert "Kanatkhan Amrenov" in people


# ---------------------------------------------------------------- detentions and terms


def test_administrative_arrests_in_one_list_with_an_elided_verb():
    # Fergana: three terms in one sentence, the last with its verb left out
    text = (
        "По 15 суток ареста получили Жанат Жамалиев (Экибастуз), Нурбек Кулышек (Астана), "
        "Ербол Есхожин (Астана), Амренов Канатхан, Назгуль Жусупова, на 10 суток арестован "
        "Елдос Досанов и на 6 суток — Нуржан Сембаев (Семей)."
    )
    rows = _detentions(text)
    assert rows["Zhanat Zhamaliyev"] == ("administrative_arrest", 15)
    assert rows["Kanatkhan Amrenov"] == ("administrative_arrest", 15)
    assert rows["Yeldos Dosanov"] == ("administrative_arrest", 10)
    assert rows["Nurzhan Sembayev"] == ("administrative_arrest", 6)


def test_a_fine_is_an_outcome_without_a_term():
    text = "Также оштрафована на 30 минимальных расчетных показателей (МРП) активистка Махаббат Кусаинова."
    assert _detentions(text) == {"Makhabbat Kusainova": ("fined", None)}


def test_years_and_a_month_add_up():
    # 24.kg: 'к 3 годам и 1 месяцу лишения свободы' is 3 * 365 + 30 days
    text = (
        "Нурафшанский городской суд по уголовным делам приговорил тиктокера Валерия Югая, известного "
        "как Абдуллох, к 3 годам и 1 месяцу лишения свободы в колонии-поселении."
    )
    assert _detentions(text)["Valery Yugay"] == ("sentenced", 1125)


def test_probation_after_a_prison_term_is_a_suspended_sentence():
    # 24.kg: five years, then probation instead; the pronoun 'ему' is the journalist
    text = (
        "Судья Первомайского районного суда Бишкека, рассмотрев дело директора Next TV Таалая "
        "Дуйшенбиева, признал его виновным и приговорил к пяти годам лишения свободы.\n\n"
        "Однако суд назначил ему пробационный надзор на три года и отпустил в зале суда."
    )
    rows = _detentions(text)
    assert rows == {"Taalay Duyshenbiyev": ("suspended_sentence", None)}


def test_restriction_of_liberty_is_a_sentence_with_no_custody():
    text = (
        "Судья Ернар Касымбеков признал всех виновным и назначил каждому из них по 4 года ограничения "
        "свободы.\n\n«Нурлана Жаулибаева, Жаната Казакбая признать виновным по статье 272, части 3 УК РК "
        "и назначить каждому из них по 4 ограничения свободы», - зачитал судья."
    )
    rows = _detentions(text)
    assert rows["Nurlan Zhaulibayev"] == ("sentenced", None)
    assert "Yernar Kasymbekov" not in rows  # the judge is the agent


def test_an_unnamed_group_keeps_its_count_and_a_release():
    text = (
        "Почти год назад, 29 сентября 2024 года были задержаны 12 активистов, выступающих против "
        "строительства АЭС. Семерых из них отпустили под подписку о невыезде."
    )
    extraction, _ = _extract(text)
    groups = {(d.detainee_count, d.outcome, d.detained_date) for d in extraction.facts.detentions}
    assert (12, "unknown", date(2024, 9, 29)) in groups
    assert (7, "released", date(2024, 9, 29)) in groups


def test_the_sentenced_person_is_the_patient_not_the_insulted_president():
    text = "В Узбекистане блогера осудили за оскорбление президента Шавката Мирзиеева"
    assert _detentions(text) == {}


# ---------------------------------------------------------------- party status


def test_party_status_from_the_words_around_it():
    refused = (
        "Инициативная группа по созданию партии «Алга Казахстан» подавали уведомление о начале "
        "регистрации 4 мая 2022 года, однако власти безосновательно отказали на первом же этапе — "
        "отказались выдавать разрешение на проведение учредительного съезда."
    )
    banned = (
        "Как передает Vласть.kz, правозащитница связывает эти задержания с тем, что накануне Дня "
        "Республики лидер запрещенного в стране движения «Демократический выбор Казахстана» (ДВК) Мухт"
    )
    statuses: dict[str, set[str | None]] = {}
    for text in (refused, banned):
        extraction, _ = _extract(text)
        for m in extraction.mentions:
            if m.entity_type == "party":
                statuses.setdefault(m.canonical_name, set()).add(m.party_status)
    assert "banned" in statuses["Democratic Choice of Kazakhstan"]
    assert statuses["Alga Kazakhstan"] == {"unregistered"}


# ---------------------------------------------------------------- elections and dates


def test_results_as_a_list_of_parties_and_shares():
    # Informburo: a bulleted list, Latin and Cyrillic names, an abbreviation
    text = (
        "Центральная избирательная комиссия РК представила предварительные итоги голосования на выборах "
        "депутатов мажилиса парламента, избираемых по партийным спискам.\n\n"
        '"Согласно предварительным результатам, голоса избирателей на выборах депутатов мажилиса '
        "парламента, избираемых по партийным спискам, распределились следующим образом:\n\n"
        '  • Nur Otan – 71,09%.\n  • "Ак жол" – 10,95%.\n  • НПК – 9,1%.\n  • "Ауыл" – 5,29%.\n'
        '  • Adal – 3,57%", – сообщила секретарь ЦИК Сабила Мустафина.\n\n'
        "10 января в Казахстане прошли выборы в мажилис парламента и маслихаты. Явка избирателей со"
    )
    extraction, names = _extract(text)
    elections = {(e.country_id, e.election_type, e.day_month) for e in extraction.facts.elections}
    assert ("KZ", "parliamentary", "01-10") in elections
    assert ("KZ", "local", "01-10") in elections
    shares = {names[r.party_mention_no]: r.vote_share_pct for r in extraction.facts.election_results}
    assert shares["Amanat"] == 71.09
    assert shares["Ak Zhol"] == 10.95
    assert shares["Adal"] == 3.57
    assert all(m.party_status == "registered" for m in extraction.mentions if m.entity_type == "party")


def test_a_commission_named_after_referendums_is_no_referendum():
    text = (
        "Председатель Центральной комиссии по выборам и референдумам (ЦКВР) Таджикистана Бахтиёр "
        "Худоёрзода огласил предварительные результаты парламентских выборов, которые состоялись 2 марта."
    )
    extraction, _ = _extract(text)
    kinds = {(e.election_type, e.day_month) for e in extraction.facts.elections}
    assert kinds == {("parliamentary", "03-02")}


def test_dates_carry_their_precision():
    assert [
        (d.value, d.precision) for d in find_dates("Почти год назад, 29 сентября 2024 года были задержаны")
    ] == [(date(2024, 9, 29), "day")]
    assert [(d.value, d.precision) for d in find_dates("Напомним, в июле 2018 года Генпрокуратура")] == [
        (date(2018, 7, 1), "month")
    ]
    bare = find_dates("Сегодня, 9 июня, в Первомайском райсуде Бишкека завершилось рассмотрение")
    assert [(d.value, d.day_month) for d in bare if d.day_month] == [(None, "06-09")]
    anchored = find_dates("Сегодня, 9 июня, в Первомайском райсуде", anchor=date(2023, 6, 9))
    assert (date(2023, 6, 9), "day") in [(d.value, d.precision) for d in anchored]


# ---------------------------------------------------------------- one identity across scripts


@pytest.mark.slow
def test_one_actor_for_a_man_written_in_latin_and_in_cyrillic(prefect_server, tmp_path):
    """An English and a Russian article about Zhanbolat Mamai, who is not in the reference seeds:
    'Mamai' / 'Zhanbolat Mamai' and 'Жанболат Мамай' / 'Жанболата Мамая' are one actor."""
    from flows.paths import SAMPLE_CORPUS
    from flows.pipeline import steppewatch_run

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    english = next(SAMPLE_CORPUS.glob("001_*.txt"))
    shutil.copy2(english, inbox / english.name)
    shutil.copy2(RU_CORPUS / "vlast-dempartiya-rally.txt", inbox / "vlast-dempartiya-rally.txt")
    home = tmp_path / "home"
    steppewatch_run(inbox=str(inbox), home=str(home))
    con = duckdb.connect(str(home / "steppewatch.duckdb"), read_only=True)
    try:
        rows = con.execute(
            """SELECT a.language, m.surface_text, m.entity_id
               FROM marts.fct_mention m JOIN marts.dim_article a USING (article_id)
               WHERE m.entity_type = 'actor' AND (m.surface_text ILIKE '%mamai%' OR m.surface_text LIKE '%Мама%')"""
        ).fetchall()
        languages = {language for language, _, _ in rows}
        actor_ids = {actor_id for _, _, actor_id in rows}
        assert languages == {"en", "ru"}
        assert len(actor_ids) == 1, rows
        aliases = con.execute(
            "SELECT name, aliases FROM marts.dim_actor WHERE actor_id = ?", [actor_ids.pop()]
        ).fetchone()
        assert aliases[0].startswith("Zhanbolat Mama")  # a Latin canonical name
        assert any("Мама" in alias for alias in aliases[1])  # the Cyrillic forms are aliases
        languages = dict(
            con.execute("SELECT language, count(*) FROM marts.dim_article GROUP BY 1").fetchall()
        )
        assert languages == {"en": 1, "ru": 1}
    finally:
        con.close()


def test_seats_listed_under_a_header_about_seats():
    # 24.kg (evaluation/dev-ru2/articles/704.txt), as printed: only the first line says 'мандатов'
    text = (
        "Итоговые результаты ручного подсчета сравнялись с предварительными данными, которые были получены в день выборов с автоматически считывающих урн (АСУ). Отметим, что итоги ручного подсчета протоколов немного отличаются от данных АСУ.\n"
        "Как видно в таблице, после ручного подсчета процент набранных голосов почти у всех партий увеличился, хотя и незначительно.\n"
        "По последней информации, пятипроцентный порог преодолевают шесть партий, депутатские мандаты распределятся следующим образом:\n"
        "- «Ата-Журт Кыргызстан» — 15 мандатов;\n"
        "- «Ишеним» — 12;\n"
        "- «Ынтымак» — 9;\n"
        "- «Альянс» — 7;\n"
        "- «Бутун Кыргызстан» — 6;\n"
        "- «Ыйман нуру» — 5.\n"
        "В целом для представителей партий предусмотрены 54 мандата."
    )
    for body in (text, text.replace(";\n", ";\n\n")):  # as printed, and as landing writes a list
        extraction, names = _extract(body)
        seats = {names[r.party_mention_no]: r.seats for r in extraction.facts.election_results}
        assert seats["Ishenim"] == 12 and seats["Yiman Nuru"] == 5
        assert len(seats) == 6


def test_the_subject_holds_the_share_not_the_man_it_names():
    # Fergana (evaluation/dev-ru2/articles/708.txt)
    text = (
        "В Туркменистане 12 марта состоялись президентские выборы. Сын действующего главы государства "
        "Гурбангулы Бердымухамедова — Сердар Бердымухамедов набрал 72,9% голосов и, таким образом, был "
        "признан избранным президентом Туркменистана, сообщила Центральная избирательная комиссия страны."
    )
    extraction, names = _extract(text)
    shares = {names[r.actor_mention_no]: r.vote_share_pct for r in extraction.facts.election_results}
    assert shares == {"Serdar Berdimuhamedov": 72.9}


def test_a_detention_date_without_its_year_is_the_last_one_before_the_article():
    # case-601/608 (real text, shortened): a day and month, or a month, with the page's date
    past = find_dates("находится под арестом с 10 февраля", anchor=date(2017, 4, 20), past=True)
    assert [(d.value, d.precision) for d in past] == [(date(2017, 2, 10), "day")]
    last_year = find_dates("29 ноября его приговорили", anchor=date(2024, 1, 19), past=True)
    assert [(d.value, d.precision) for d in last_year] == [(date(2023, 11, 29), "day")]
    month = find_dates("В январе суд приговорил его", anchor=date(2024, 6, 1), past=True)
    assert [(d.value, d.precision) for d in month] == [(date(2024, 1, 1), "month")]
    # a deadline is not a past event; without `past` (elections) nothing changes
    assert find_dates("арестовали до 10 мая", anchor=date(2017, 4, 20), past=True)[0].value is None
    assert find_dates("с 10 февраля", anchor=date(2017, 4, 20))[0].value is None
    extraction, names = _extract("29 ноября Марата Жыланбаева приговорили к семи годам.", date(2024, 1, 19))
    [d] = extraction.facts.detentions
    assert (d.detained_date, d.detained_date_precision) == (date(2023, 11, 29), "day")
