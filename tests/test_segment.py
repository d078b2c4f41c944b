"""Text-level landing: furniture removal, cutting pages into articles, dates, language, decoding."""

from __future__ import annotations

from datetime import date

import pytest

from flows.landing.boilerplate import Kind, classify, outlet_from_copyright
from flows.landing.dates import parse_date, parse_date_line, parse_dated_meta
from flows.landing.decode import Decoded, Undecodable, decode_bytes
from flows.landing.language import detect_language
from flows.landing.segment import PageHints, cut_articles

PARA = "Police in the capital detained several activists on Saturday, their lawyers told reporters later that day."
PARA2 = "The authorities had not authorised the gathering and said the detainees would face administrative charges."
PARA3 = (
    "Rights groups called the detentions arbitrary and urged the government to release everyone held at once."
)


def page(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- headers


def test_section_label_above_title_is_not_the_title() -> None:
    [article] = cut_articles(
        page("Human rights", "Court Jails Blogger For Criticising Officials", PARA, PARA2)
    )
    assert article.title == "Court Jails Blogger For Criticising Officials"
    assert article.body == f"{PARA}\n\n{PARA2}"


def test_text_without_headline_has_no_title() -> None:
    [article] = cut_articles(f"{PARA}\n{PARA2}\n")
    assert article.title is None
    assert article.body == f"{PARA}\n\n{PARA2}"


def test_site_name_breadcrumbs_byline_and_date_lines_leave_the_header() -> None:
    text = page(
        "Steppe Daily",
        "Home » Kazakhstan » Politics",
        "Kazakhstan: Activists detained ahead of a planned rally",
        "By Jane Roe",
        "Tuesday, November 05, 2020 14:41 GMT",
        "Share",
        PARA,
        PARA2,
    )
    [article] = cut_articles(text)
    assert article.title == "Kazakhstan: Activists detained ahead of a planned rally"
    assert (article.published_date, article.published_date_precision) == (date(2020, 11, 5), "day")
    assert article.body == f"{PARA}\n\n{PARA2}"


def test_headline_repeated_twice_and_video_at_the_top_keep_the_title() -> None:
    text = page("Tokayev Calls Snap Election", "Tokayev Calls Snap Election", "please wait", PARA, PARA2)
    [article] = cut_articles(text)
    assert article.title == "Tokayev Calls Snap Election"
    assert article.body == f"{PARA}\n\n{PARA2}"


def test_metadata_title_replaces_the_repeated_first_line() -> None:
    hints = PageHints(
        title="Blogger fined in Astana", published=(date(2021, 4, 1), "month"), source_name="Wire"
    )
    [article] = cut_articles(page("Blogger fined in Astana", PARA), hints)
    assert article.title == "Blogger fined in Astana" and article.body == PARA
    assert (article.published_date, article.published_date_precision) == (date(2021, 4, 1), "month")
    assert article.source_name == "Wire"


# ------------------------------------------------------------------------------- furniture


def test_media_widget_caption_and_credits_are_removed() -> None:
    text = page(
        "Rally Allowed In Almaty",
        "A supporter holds a placard in Almaty on November 6.",
        "A supporter holds a placard in Almaty on November 6.",
        PARA,
        "Women Shave Heads To Demand Freedom",
        "please wait",
        "No media source currently available",
        "0:00 0:01:45 0:00",
        PARA2,
        "Jane Roe. Photo: Example Agency",
        "Photo courtesy of the activist. Facebook account",
        "REUTERS/John Doe",
        "See also: Another Story About Something Else",
        "Read more: A Different Story",
        "Follow us on Telegram!",
        PARA3,
    )
    [article] = cut_articles(text)
    assert article.title == "Rally Allowed In Almaty"
    assert article.body == f"{PARA}\n\n{PARA2}\n\n{PARA3}"


def test_outlet_footer_about_box_and_reader_notices_are_trimmed() -> None:
    text = page(
        "© 2023 Steppe Monitor. All rights reserved.",
        "Please make active links to the source when using materials from this website",
        "Opposition Party Refused Registration Again",
        PARA,
        PARA2,
        "This article was prepared as part of a project implemented with the financial support of a donor.",
        "The opinions expressed in the article do not necessarily reflect the position of the editorial.",
        "If you have found a spelling error, please notify us by selecting that text and pressing Ctrl+Enter.",
        "Spelling error report",
        "  • 16x9 Image",
        "    Steppe Monitor Service",
        "    Steppe Monitor Service provides independent reporting and analysis about Central Asia.",
        'Steppe Monitor has been declared an "undesirable organization" by the government.',
        "If you are in that country, you could face fines for sharing our content.",
        "To find out more, click here.",
    )
    [article] = cut_articles(text)
    assert article.title == "Opposition Party Refused Registration Again"
    assert article.body == f"{PARA}\n\n{PARA2}"
    assert article.source_name == "Steppe Monitor"


def test_listing_page_is_cut_into_articles_and_the_sidebar_dropped() -> None:
    text = page(
        "Connect with us",
        "Central Asia",
        "First Story Title Here",
        "Published",
        "on",
        PARA,
        PARA2,
        "Continue Reading",
        "Politics",
        "Second Story: Another Headline",
        "Published on March 3, 2021",
        PARA3,
        PARA,
        "Continue Reading",
        "Publications",
        "Latest",
        "Europe12 mins ago",
        "Unrelated Teaser Headline",
        "A snippet of an unrelated story that is cut off in the middle of a long sentence...",
        "Sports2 hours ago",
        "Another Unrelated Teaser",
        "Another snippet that ends with an ellipsis character…",
        "Trending",
    )
    articles = cut_articles(text)
    assert [a.title for a in articles] == ["First Story Title Here", "Second Story: Another Headline"]
    assert articles[0].body == f"{PARA}\n\n{PARA2}"
    assert articles[1].body == f"{PARA3}\n\n{PARA}"
    assert (articles[1].published_date, articles[1].published_date_precision) == (date(2021, 3, 3), "day")
    assert articles[0].published_date is None


def test_listing_split_on_published_lines_without_separators() -> None:
    text = page(
        "First Headline Of The Page",
        "Published",
        PARA,
        PARA2,
        "Second Headline On The Page",
        "Published",
        PARA3,
        PARA,
    )
    articles = cut_articles(text)
    assert [a.title for a in articles] == ["First Headline Of The Page", "Second Headline On The Page"]


def test_related_headlines_after_an_article_are_dropped() -> None:
    text = page(
        "Main Headline",
        PARA,
        PARA2,
        "Related",
        "Kyrgyzstan: Parliament approves new constitution draft",
        "Tajikistan: Journalist sentenced to seven years",
    )
    [article] = cut_articles(text)
    assert article.body == f"{PARA}\n\n{PARA2}"


def test_a_lone_latest_label_above_the_title_does_not_swallow_it() -> None:
    [article] = cut_articles(page("Latest", "Parliament Approves The Budget", PARA))
    assert article.title == "Parliament Approves The Budget"


def test_subheadings_and_bullets_inside_the_body_are_kept() -> None:
    text = page("Main Headline", PARA, "Longing for changes", PARA2, "  • first point of a list", PARA3)
    [article] = cut_articles(text)
    assert "Longing for changes" in article.body and "• first point of a list" in article.body


def test_only_furniture_gives_no_article() -> None:
    assert cut_articles(page("Accessibility links", "Share", "Latest", "Follow us on Facebook")) == []


def test_hard_wrapped_text_is_unwrapped() -> None:
    paragraphs = [f"{PARA} {PARA2}", f"{PARA2} {PARA3}", f"{PARA3} {PARA}"]
    blocks = []
    for paragraph in paragraphs:
        wrapped, line = [], []
        for word in paragraph.split():
            if len(" ".join([*line, word])) > 70:
                wrapped.append(" ".join(line))
                line = []
            line.append(word)
        wrapped.append(" ".join(line))
        blocks.append("\n".join(wrapped))
    [article] = cut_articles("\n\n".join(blocks) + "\n")
    assert article.body.split("\n\n") == paragraphs


def test_copyright_signature_names_the_outlet() -> None:
    assert outlet_from_copyright("© CABAR - Central Asian Bureau for Analytical Reporting") == (
        "CABAR - Central Asian Bureau for Analytical Reporting"
    )
    assert outlet_from_copyright("Copyright 2019-2024 Steppe Daily. All rights reserved.") == "Steppe Daily"
    assert outlet_from_copyright("The copyright law was amended.") is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Accessibility links", Kind.NAV),
        ("Breaking News", Kind.NAV),
        ("Follow us on LinkedIn!", Kind.NAV),
        ("Tags: Kazakhstan, elections", Kind.NAV),
        ("No media source currently available", Kind.MEDIA),
        ("Continue Reading", Kind.SEPARATOR),
        ("Most read", Kind.SIDEBAR),
        ("South Asia58 mins ago", Kind.TEASER_TIME),
        ("Photo: RFE/RL", Kind.CAPTION),
        ("See also: What Comes Next?", Kind.SEE_ALSO),
        ("Posted on April 2, 2021", Kind.PUBLISHED),
        ("By Jane Roe and John Doe", Kind.BYLINE),
        ("Updated rules for the registration of parties were adopted in 2020.", Kind.CONTENT),
        ("By the end of the year the government will decide.", Kind.CONTENT),
        (
            "The photo by a local journalist showed police beating protesters, and it spread widely online.",
            Kind.CONTENT,
        ),
        ("x" * 5_000_000, Kind.CONTENT),
    ],
)
def test_line_kinds(line: str, kind: Kind) -> None:
    assert classify(line) is kind


# ------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published on April 21, 2021", (date(2021, 4, 21), "day")),
        ("November 5, 2020", (date(2020, 11, 5), "day")),
        ("2021-04-21", (date(2021, 4, 21), "day")),
        ("21.04.2021 12:34", (date(2021, 4, 21), "day")),
        ("12:34 / 21.04.2021", (date(2021, 4, 21), "day")),
        ("21 апреля 2021 года", (date(2021, 4, 21), "day")),
        ("Posted: March 2016", (date(2016, 3, 1), "month")),
        ("November 5", (None, "unknown")),  # no year: never invented
        ("2021", (None, "unknown")),  # a lone number is not a date line
        ("February 30, 2021", (None, "unknown")),
        ("The rally was held on April 21, 2021 in Almaty.", (None, "unknown")),
    ],
)
def test_date_lines(line: str, expected: tuple) -> None:
    assert parse_date_line(line) == expected


def test_metadata_dates() -> None:
    assert parse_date("2021-04-21T10:00:00+06:00") == (date(2021, 4, 21), "day")
    assert parse_date("2021-04") == (date(2021, 4, 1), "month")
    assert parse_date("2021") == (date(2021, 1, 1), "year")
    assert parse_date("soon") == (None, "unknown")
    assert parse_date(None) == (None, "unknown")


# ------------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (PARA, "en"),
        ("Президент подписал указ о проведении выборов в парламент страны.", "ru"),
        ("Қазақстан Республикасының Президенті жаңа заңға қол қойды.", "kk"),
        (
            "Президент Токаев посетил Қазақстан темір жолы и провёл совещание с министрами правительства.",
            "ru",
        ),
        ("Prezident Shavkat Mirziyoyev farmonni imzoladi va yangi vazirlikni tuzdi.", "und"),
        ("12345 — 678", "und"),
    ],
)
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language


# ------------------------------------------------------------------------------- decoding


RUSSIAN = "Оппозиционная партия не смогла зарегистрироваться, заявил её лидер журналистам в среду."
SHORT_RUSSIAN = "Активист задержан в Алматы."
WESTERN = "Café naïve résumé: the protesters said so."


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (WESTERN, WESTERN.encode(), "utf-8"),
        (RUSSIAN, b"\xef\xbb\xbf" + RUSSIAN.encode("utf-8"), "utf-8-sig"),
        (RUSSIAN, RUSSIAN.encode("utf-16"), "utf-16-le"),
        (RUSSIAN, b"\xfe\xff" + RUSSIAN.encode("utf-16-be"), "utf-16-be"),
        (RUSSIAN, RUSSIAN.encode("cp1251"), "cp1251"),
        (SHORT_RUSSIAN, SHORT_RUSSIAN.encode("cp1251"), "cp1251"),
        (RUSSIAN, RUSSIAN.encode("koi8_r"), "koi8_r"),
        (WESTERN, WESTERN.encode("cp1252"), "cp1252"),
    ],
)
def test_decoding(text: str, data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded == Decoded(text=text, encoding=encoding)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"%PDF-1.4 ...", "PDF"),
        (b"PK\x03\x04rest", "ZIP"),
        (b"text\x00with nul", "NUL"),
        (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x98]) * 10, "undecodable"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_not_text(data: bytes, reason: str) -> None:
    result = decode_bytes(data)
    assert isinstance(result, Undecodable) and reason in result.reason


def test_listing_split_on_dated_meta_lines_with_place_and_agency() -> None:
    text = page(
        "Politics | Latest news",
        "First Headline Of The Listing",
        "16:05, 22 May 2025  Bishkek – Example news agency, Jane Roe",
        PARA,
        PARA2,
        "Like 12   Share",
        "Second Headline Of The Listing",
        "15:20, 22 May 2025  Bishkek – Example news agency",
        PARA3,
        PARA,
        "Like 4   Share",
    )
    articles = cut_articles(text)
    assert [a.title for a in articles] == ["First Headline Of The Listing", "Second Headline Of The Listing"]
    assert all(a.published_date == date(2025, 5, 22) for a in articles)
    assert all("Like" not in a.body and "Bishkek –" not in a.body for a in articles)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("16:05, 22 May 2025  Bishkek – 24.kg news agency", (date(2025, 5, 22), "day")),
        ("May 3, 2024 | Almaty", (date(2024, 5, 3), "day")),
        ("21 January 2025 Vlast.kz", (date(2025, 1, 21), "day")),
        # headlines that open with a date are not meta lines
        ("12 May 2024 Kazakhstan holds referendum on nuclear power plant", (None, "unknown")),
        ("6 October 2024: Kazakhstan votes", (None, "unknown")),
        ("22 May 2025. Police detained him.", (None, "unknown")),
    ],
)
def test_dated_meta_lines(line: str, expected: tuple) -> None:
    assert parse_dated_meta(line) == expected


@pytest.mark.parametrize("line", ["Like 12   Share", "Views: 3 214", "31 likes · 4 comments"])
def test_reaction_widgets_are_navigation(line: str) -> None:
    assert classify(line) is Kind.NAV
