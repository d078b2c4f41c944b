"""Line-level recognition of scraped-page furniture.

Patterns describe *kinds* of furniture seen on news sites (navigation, share widgets,
media players, captions and credits, copyright, reader notices, teaser sidebars), not
particular pages. Long lines are only checked by the few patterns that can occur in
a paragraph-sized footer, and every pattern is anchored or bounded, so a 5 MB line
costs one linear scan at most.
"""

from __future__ import annotations

import re
from enum import StrEnum

from flows.landing.dates import parse_date_line, parse_dated_meta

SHORT = 300  # furniture lines are short; paragraphs are not checked against nav patterns
FOOTER_MAX = 1200


class Kind(StrEnum):
    CONTENT = "content"
    SEPARATOR = "separator"  # 'Continue Reading': the end of one article on a listing page
    NAV = "nav"  # navigation, share/follow widgets, standalone section furniture
    SIDEBAR = "sidebar"  # 'Latest', 'Related stories': what follows is a teaser list
    TEASER_TIME = "teaser_time"  # 'South Asia58 mins ago'
    MEDIA = "media"  # player junk; the line above it is usually the clip's title
    CAPTION = "caption"  # photo captions, credits
    SEE_ALSO = "see_also"
    COPYRIGHT = "copyright"
    FOOTER = "footer"  # reader notices, disclaimers, error-report widgets
    PUBLISHED = "published"  # 'Published' / 'Posted on' (maybe with a date)
    BYLINE = "byline"


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Whole-line navigation and widget labels (compared after trimming bullets/punctuation).
_NAV_LINE = _rx(
    r"accessibility links|skip to (?:the )?(?:main )?(?:content|navigation|search)|breaking news|"
    r"connect with us|follow us|stay connected|share(?: this)?(?: (?:article|story|post|page))?(?: on)?|"
    r"share via|share on [\w ]{1,20}|tweet|print(?: this)?(?: (?:article|page|story))?|e-?mail(?: this)?|"
    r"subscribe(?: now)?|sign (?:up|in)|log ?in|log ?out|register|menu|main menu|search|home|homepage|"
    r"advertisement|advertising|sponsored(?: content)?|ad|close|open|toggle navigation|"
    r"back to top|top|next(?: article| story| post)?|previous(?: article| story| post)?|prev|"
    r"show more|load more|see more|view more|view all|see all|more|read more|"
    r"comments?(?: \(\d+\))?|\d+ comments?|leave a (?:comment|reply)|no comments(?: yet)?|"
    r"tags?|topics?|categories|category|filed under|newsletter|cookies?(?: settings| policy)?|"
    r"accept(?: all)?(?: cookies)?|privacy policy|terms of use|contact us|about us|"
    r"listen(?: to this article)?|watch(?: video)?|video|videos|photo|photos|image|gallery|embed|"
    r"copy link|link copied|the code has been copied to your clipboard|url|"
    r"facebook|twitter|x|telegram|whatsapp|linkedin|vk|vkontakte|youtube|instagram|tiktok|rss|"
    r"\d+ min(?:ute)?s? read|min read|reading time:? ?\d+ ?min(?:ute)?s?|"
    r"loading(?: comments)?|advertisement - scroll to continue|like this|share this|"
    r"(?:\d[\d ,.]*k?\s*)?(?:views?|reads?|shares?)(?: \d[\d ,.]*k?)?|"
    r"(?:tags?|topics?|keywords|filed under|categories|tagged(?: with)?)\s*:\s.{0,200}"
)
_SIDEBAR_LINE = _rx(
    r"latest(?: news| stories| articles| posts| updates| headlines)?|trending(?: now| news| stories)?|"
    r"most (?:read|popular|viewed|shared|commented|recent)|popular(?: news| stories| posts)?|"
    r"related(?: articles| stories| news| posts| content| reading| coverage| topics)?|"
    r"recommended(?: for you| stories| articles)?|you (?:may|might) (?:also )?(?:like|be interested in)|"
    r"read next|up next|editor'?s? picks?|top stories|more stories|more news|recent posts|"
    r"more (?:from|on|in|about) [\w .,'’&-]{1,40}|also (?:on|in) [\w .'’&-]{1,30}|"
    r"в тренде|последние новости|читайте также|популярное"
)
_SEPARATOR_LINE = _rx(r"continue reading\W*|read (?:the )?full (?:article|story)\W*|keep reading\W*")
_FOLLOW = _rx(
    r"^(?:please\s+)?(?:follow|like|join|find|subscribe to)\s+(?:us|our\s+[\w ]{1,30})\s+(?:on|at|in|via)\b.{0,80}$",
    r"^(?:join|subscribe to|follow)\s+(?:our|the)\s+.{0,40}\b(?:channel|newsletter|page|account|feed)s?\b.{0,60}$",
    r"^(?:sign up|subscribe)\b.{0,60}\b(?:newsletter|updates|inbox|digest)\b.{0,60}$",
    r"^(?:download|get) (?:our|the) (?:app|application)\b.{0,60}$",
)
_MEDIA = _rx(
    r"^please wait\W*$",
    r"^no media source (?:is )?currently available\W*$",
    r"^(?:your browser|this browser) (?:does not|doesn't) support\b.{0,80}$",
    r"^(?:image|video|audio|embed|share|download)(?:\s*[:|]\s*)?\s*(?:\d+x\d+)?\s*(?:image|file|mp4|mp3)?$",
    r"^\d+\s*x\s*\d+\s+(?:image|video)\b.{0,20}$",
    r"^\d+p\s*\|\s*[\d.,]+\s*[kmg]?b\b.{0,40}$",  # '360p | 10.4MB' download menus
    r"^(?:the )?(?:video|audio|media|player) (?:is )?(?:loading|unavailable|not available)\b.{0,40}$",
)
_TIMECODES = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\s+(?:\d{1,2}:)?\d{1,2}:\d{2}){0,4}$")
_TEASER_TIME = re.compile(
    r"^.{0,60}?\d+\s*(?:sec|secs|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)\s+ago$"
    r"|^(?:just now|yesterday|an? (?:minute|hour|day|week) ago)$",
    re.IGNORECASE,
)
_SEE_ALSO = _rx(
    r"^(?:see also|read also|also read|read more|related|related article|related story|recommended|"
    r"more on this|further reading|read next|watch|listen|смотрите также|читайте также|читайте также)\s*[:>»-]"
)
_CAPTION = _rx(
    # the credit starts the line or follows the caption's sentence: 'Jane Roe. Photo: Agency'
    r"(?:^|[.!?|]\s+|\s[-–—/]\s)(?:photo|photos|photograph|image|picture|pictures|illustration|video|"
    r"graphic|screenshot|screengrab|file photo|infographic|фото)\s*(?::|by\b|courtesy\b|credit\b|source\b|©)",
    r"^(?:photo |image )?(?:courtesy|credit|source)(?: of)?\s*[:\s]",
    r"\((?:photo|image|file photo|illustrative photo|screenshot)\b[^()]{0,80}\)\W*$",
    r"\b(?:getty images|shutterstock|istock(?:photo)?|depositphotos|ap photo|afp photo|epa-efe)\b",
    r"^(?:illustrative|archive|file) (?:photo|image)\W*$",
    r"\b(?:image|photo|video) caption\b",
    r"^(?:reuters|afp|ap|epa|tass|ria novosti|sputnik|anadolu|xinhua|getty images)\s*/\s*[\w .'’-]{2,40}$",
)
_COPYRIGHT = _rx(
    r"^(?:©|\(c\)|copyright\b|all rights reserved\b)",
    r"\ball rights reserved\b",
    r"\b(?:please )?make (?:an )?active (?:hyper)?links?\b",
    r"\b(?:when|while|in case of) (?:using|reprinting|quoting|copying)\b.{0,40}\b(?:materials?|content)\b",
    r"\b(?:reproduction|republication|reprinting|copying)\b.{0,80}\b(?:prohibited|forbidden|permitted only|"
    r"not allowed|without (?:the )?(?:prior |written )?(?:permission|consent))\b",
    r"\b(?:hyper)?link to (?:the )?(?:source|original|website)\b.{0,40}\b(?:required|mandatory|obligatory)\b",
)
_FOOTER = _rx(
    r"\bspelling error\b|\breport (?:a|an) (?:typo|error|mistake)\b|\bctrl\s*\+\s*enter\b",
    r"^the following text will be sent to\b",
    r"^(?:if you (?:have )?(?:found|find|notice|spot|see)\b).{0,60}\b(?:error|mistake|typo)s?\b",
    r"\bopinions? (?:expressed|stated)\b.{0,200}\b(?:do|does|may) not (?:necessarily )?(?:reflect|represent)\b",
    r"\b(?:do|does) not (?:necessarily )?(?:reflect|represent) the (?:views?|position|opinion)s? of\b",
    r"^(?:this|the) (?:article|material|publication|story|report|piece|investigation|text)\b.{0,80}\b"
    r"(?:prepared|produced|published|written|made possible|supported|funded)\b.{0,60}\b"
    r"(?:as part of|with (?:the )?(?:financial )?support|within the framework|thanks to|under the|grant)\b",
    r"^to find out more,? click here\W*$",
    r"^click here\b.{0,80}$",
    r"^.{0,120}\bclick here\b.{0,120}$",  # 'Enjoying this article? Click here to subscribe...'
    r"^enjoying (?:this|our) (?:article|story|content|journalism)\?",
    r"^(?:got|have) a (?:news )?tip\?",
    r"^(?:support|donate to) (?:our|independent) (?:journalism|reporting|work)\b.{0,80}$",
    r"^(?:we use cookies|this (?:site|website) uses cookies)\b",
)
# Only trusted at the end of an article: outlet notices that could also be news.
_TAIL_FOOTER = _rx(
    r"\b(?:has|have) been (?:declared|designated|recogni[sz]ed|labell?ed|branded)\b.{0,60}"
    r"\b(?:undesirable|foreign agent|extremist)\b",
    r"^if you are\b.{0,300}\b(?:our|this) (?:content|site|website|materials?|articles?|publications?)\b",
    r"\b(?:contacting us|contact us)\W*$",
    r"^[\w/&'’. -]{2,60}\s(?:offers|provides|delivers|brings you|is an? (?:independent|international|leading|"
    r"nonprofit|non-profit|private|regional))\b.{0,400}\b(?:news|reporting|journalism|coverage|media|information|"
    r"analysis)\b",
)
_ABOUT_BOX_NAME = re.compile(
    r"^(?P<name>[A-Z][\w/&'’. -]{1,60}?)\s(?:offers|provides|delivers|is an? (?:independent|international|"
    r"leading|nonprofit|non-profit|private|regional))\b"
)
_PUBLISHED = re.compile(
    r"^(?:first\s+)?(?:published|posted|updated|last updated|опубликовано)(?:\s+on)?\s*:?\s*(?P<rest>.{0,80})$",
    re.IGNORECASE,
)
_PUBLISHED_BY = re.compile(r"^(?:by\s+)?[A-ZА-ЯЁ][\w.'’-]*(?:\s+[A-ZА-ЯЁ][\w.'’-]*){0,3}$")
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|author:?|автор:?)\s+[A-ZА-ЯЁ][\w.'’/&-]*(?:\s+[A-ZА-ЯЁ][\w.'’/&-]*){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-ZА-ЯЁ][\w.'’/&-]*(?:\s+[A-ZА-ЯЁ][\w.'’/&-]*){0,3}){0,3}"
    r"(?:\s*[,|–—-]\s*[\w .'’/-]{1,40})?$"
)
_TRIM = " \t\u00a0•·|>»«*-–—_=#~:"
_MENU_SPLIT = re.compile(r"\s*[|•·»›]\s*|\s+[>/]\s+")
_COPYRIGHT_SIGN = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?", re.IGNORECASE)
_TRAILING_RIGHTS = re.compile(
    r"[\s.,;]*(?:all rights reserved\.?|\d{4}(?:\s*[-–]\s*\d{4})?)\s*$", re.IGNORECASE
)


def classify(line: str) -> Kind:
    """What kind of line this is, judged on the line alone."""
    text = line.strip()
    if len(text) > FOOTER_MAX:
        return Kind.CONTENT
    bare = text.strip(_TRIM).lower().rstrip("!.?:…")
    if _SEPARATOR_LINE.fullmatch(bare):
        return Kind.SEPARATOR
    if len(text) <= SHORT:
        kind = _classify_short(text, bare)
        if kind is not Kind.CONTENT:
            return kind
    if _FOOTER.search(text):
        return Kind.FOOTER
    if _COPYRIGHT.search(text) and len(text) <= SHORT:
        return Kind.COPYRIGHT
    return Kind.CONTENT


def _classify_short(text: str, bare: str) -> Kind:
    if not any(ch.isalpha() for ch in text):
        if parse_date_line(text)[0] is not None:
            return Kind.CONTENT  # '21.04.2021 12:34': the header reader takes it as the date
        # timecodes, rules, lone numbers and punctuation carry nothing for an article
        return Kind.MEDIA if _TIMECODES.match(text.strip()) else Kind.NAV
    if _SIDEBAR_LINE.fullmatch(bare):
        return Kind.SIDEBAR
    if _NAV_LINE.fullmatch(bare) or _FOLLOW.match(text) or _is_menu_bar(text):
        return Kind.NAV
    if _MEDIA.match(bare) or _MEDIA.match(text.strip(_TRIM)):
        return Kind.MEDIA
    if _TEASER_TIME.match(text.strip()):
        return Kind.TEASER_TIME
    if _is_published_meta(text.strip(_TRIM)) or parse_dated_meta(text)[0] is not None:
        return Kind.PUBLISHED
    if _is_widget_counts(text):
        return Kind.NAV
    if _SEE_ALSO.match(text.strip(_TRIM)):
        return Kind.SEE_ALSO
    if _COPYRIGHT.search(text):
        return Kind.COPYRIGHT
    if len(text.split()) <= 25 and _CAPTION.search(text):
        return Kind.CAPTION
    if _BYLINE.match(text.strip()):
        return Kind.BYLINE
    return Kind.CONTENT


def _is_published_meta(text: str) -> bool:
    """'Published', 'Posted on', 'Published: April 2, 2021', 'Posted by Jane Doe' - not 'Updated rules...'."""
    match = _PUBLISHED.match(text)
    if not match:
        return False
    rest = match.group("rest").strip()
    if not rest:
        return True
    if rest.lower().startswith("by ") and _PUBLISHED_BY.match(rest):
        return True
    date_part = re.split(r"\s+by\s+", rest, maxsplit=1, flags=re.IGNORECASE)[0]
    return parse_date_line(date_part)[0] is not None


# 'Like 12   Share', 'Views: 3 214', '31 likes · 4 comments': reaction widgets and their counters
_WIDGET_WORDS = frozenset(
    {
        "like",
        "likes",
        "share",
        "shares",
        "tweet",
        "comment",
        "comments",
        "view",
        "views",
        "reply",
        "save",
        "print",
        "repost",
        "reposts",
    }
)
_WIDGET_TOKEN = re.compile(r"[\w]+")


def _is_widget_counts(text: str) -> bool:
    tokens = _WIDGET_TOKEN.findall(text.lower())
    words = [t for t in tokens if not t.isdigit()]
    return bool(words) and len(tokens) <= 8 and all(w in _WIDGET_WORDS for w in words)


def _is_menu_bar(text: str) -> bool:
    parts = [p for p in _MENU_SPLIT.split(text.strip(" |•·")) if p]
    return len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts)


def is_tail_footer(line: str) -> bool:
    text = line.strip()
    return len(text) <= FOOTER_MAX and bool(_TAIL_FOOTER.search(text))


def outlet_from_copyright(line: str) -> str | None:
    """'© 2021 CABAR - Central Asian Bureau... All rights reserved.' -> the outlet's name."""
    text = line.strip()
    if not _COPYRIGHT_SIGN.match(text):
        return None
    name = _COPYRIGHT_SIGN.sub("", text, count=1)
    name = _TRAILING_RIGHTS.sub("", name).strip(" .,;|-–—")
    if not name or len(name) > 100 or not any(ch.isalpha() for ch in name) or len(name.split()) > 12:
        return None
    return name


def outlet_from_about_box(line: str) -> str | None:
    match = _ABOUT_BOX_NAME.match(line.strip())
    return match.group("name").strip() if match else None
