"""The entity extractor: candidates from spaCy's entities, the parse and patterns, chosen and
re-typed, then resolved (`resolution`) into Mention records."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flows.extract.entities.candidates import (
    NAME_WORD_RX,
    RESULT_NAME_RX,
    Candidate,
    Context,
    Titles,
    clean_person_name,
    furniture_spans,
    looks_like_person,
    select_candidates,
    strip_possessive,
)
from flows.extract.entities.parties import CREDIT_RX, discover_parties
from flows.extract.entities.resolution import ArticleResolution
from flows.extract.entities.vocabulary import (
    CENTRAL_ASIA,
    EDGE_CHARS,
    LEADING_STOPWORDS,
    NAME_WORD,
    NOT_NAME_WORDS,
    ORG_HEADS,
    PARTYISH_WORDS,
    PATRONYMIC_AFTER_RX,
)
from flows.extract.model import Mention
from flows.extract.names import fold, name_key
from flows.extract.nlp import Analysis
from flows.extract.reference import Reference
from flows.extract.rules.tables import DETENTION_TABLE

# ---------------------------------------------------------------- the extractor


# Outlets are often named after their founder: 'Temirov Live', 'Kloop Media'. A "name" ending in
# one of these words is an organisation, whatever the model said.
OUTLET_TAILS = frozenset(
    {"Live", "TV", "Media", "News", "Times", "Post", "Today", "Press", "Online", "Radio"}
)


def _retype_outlets(chosen: list[Candidate]) -> None:
    for cand in chosen:
        words = cand.name.split()
        if (
            cand.kind == "person"
            and cand.detector != "ruler"
            and len(words) >= 2
            and words[-1] in OUTLET_TAILS
        ):
            cand.kind = "organization"
            cand.roles = []


class EntityExtractor(ArticleResolution):
    """Turns one article's spaCy analysis into resolved Mention records."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.titles = Titles(ref)
        self._body = ""  # the article being extracted
        self._countries: set[str | None] = set()  # and the countries it mentions
        self.ref_surnames: dict[str, list[str]] = defaultdict(list)
        self.ref_given_names: dict[str, list[str]] = defaultdict(list)
        # name -> its fuzzy reference match: a scan of every reference name per call, and the same
        # names recur across articles. Cleared when full, so a long-lived worker stays bounded.
        self._fuzzy_cache: dict[str, str | None] = {}
        for pid, person in ref.people.items():
            self.ref_surnames[name_key(person.name).split()[-1]].append(pid)
            if len(person.name.split()) >= 2:
                self.ref_given_names[name_key(person.name).split()[0]].append(pid)

    # ------------------------------------------------------------ public

    def extract(self, body: str, analysis: Analysis) -> list[Mention]:
        self._body = body
        ctx = Context(body, analysis.sentences)
        cands = self._from_entities(body, analysis, ctx)
        cands += discover_parties(body, self.ref)
        cands += self._person_patterns(body, ctx)
        cands += self._coordinated_people(body, analysis, ctx)
        cands += self._key_variants(body)
        furniture = furniture_spans(body)
        cands = [c for c in cands if not any(s <= c.start < e for s, e in furniture)]
        ctx.furniture = furniture
        chosen = select_candidates(cands)
        chosen = self._retype_party_like_orgs(chosen, ctx)
        chosen += self._countries_inside_names(chosen, body)
        main_country = self._main_country(chosen)
        article_countries = {c.country_id for c in chosen if c.kind == "country"}
        self._countries = article_countries
        chosen = [self._retype_foreign_party_alias(c, article_countries, ctx) for c in chosen]
        chosen = [c for c in chosen if c is not None]
        self._retype_surname_orgs(chosen)
        _retype_outlets(chosen)
        persons = [c for c in chosen if c.kind == "person"]
        persons = self._resolve_people(persons, ctx)
        persons += self._repeated_surnames(persons, chosen, ctx)
        countries = [c for c in chosen if c.kind == "country"]
        parties = self._resolve_parties(
            [c for c in chosen if c.kind == "party"], ctx, main_country, article_countries, countries
        )
        orgs = [
            self._resolve_org(c, main_country, article_countries) for c in chosen if c.kind == "organization"
        ]
        self._link_people_to_parties(persons, parties, ctx)
        everything = sorted(persons + parties + orgs + countries, key=lambda c: (c.start, c.end))
        return [self._to_mention(i, c, body) for i, c in enumerate(everything, start=1)]

    # ------------------------------------------------------------ candidates from spaCy

    def _from_entities(self, body: str, analysis: Analysis, ctx: Context) -> list[Candidate]:
        out: list[Candidate] = []
        for ent in analysis.entities:
            cand = self._candidate(ent.start, ent.end, ent.label, ent.from_ruler, body, ctx)
            if cand:
                out.append(cand)
        return out

    def _candidate(
        self, start: int, end: int, label: str, from_ruler: bool, body: str, ctx: Context
    ) -> Candidate | None:
        text = body[start:end]
        detector = "ruler" if from_ruler else "ner"
        bare = strip_possessive(re.sub(r"^(?:the|The)\s+", "", text))
        if label == "PARTY":
            return Candidate(start, end, "party", detector, text)
        country = self.ref.country_of(bare)
        if label in ("GPE", "NORP", "LOC") or (country and label in ("ORG", "PERSON")):
            if not country or not self._country_usable(bare, country, ctx, start):
                return None
            return Candidate(start, end, "country", detector, bare, country_id=country[0])
        if label == "PERSON":
            if not from_ruler and _names_an_organization(body, start, bare):
                return Candidate(start, start + len(text.rstrip()), "organization", detector, bare.strip())
            if " " not in text.strip():
                start = self._given_name_before(body, start)
            return self._person_candidate(start, end, detector, body, ctx)
        if label == "ORG":
            bare = re.sub(r"(?:\s+(?:of|or|and|the|for|in|on|at)|[\s-]+)+$", "", bare)
            if "\n" in bare or not bare:
                return None
            end = start + text.find(bare) + len(bare) if bare in text else end
            start = end - len(bare)
            key = name_key(bare)
            if key in self.ref.party_keys:
                return Candidate(start, end, "party", detector, bare)
            if from_ruler or key in self.ref.organization_keys:
                return Candidate(start, end, "organization", detector, bare)
            person = self._person_candidate(
                start, end, detector, body, ctx, strict=not self._title_before(body, start)
            )
            if person and not _names_an_organization(body, start, bare):
                return person
            if _plausible_org(bare):
                return Candidate(start, end, "organization", detector, bare)
        return None

    def _coordinated_people(self, body: str, analysis: Analysis, ctx: Context) -> list[Candidate]:
        """Names the model missed or cut short, found by their place in the parse: a proper-noun phrase
        coordinated or apposed with a person ('A, B, C and D' where only A, C and D were tagged), in the
        detainee slot of a detention trigger ('sentenced Marat Duisembiev'), or a PERSON entity whose
        given name the parse puts in the same phrase ('Oralbai' + 'Dosnazarov'), is a person when its
        words look like a name (two or three capitalised words, no organisation or party head word).
        Names found this way count as people for the lists after them (a second pass)."""
        people = [(e.start, e.end) for e in analysis.entities if e.label == "PERSON"]
        # the model's own ORG or GPE reading of a listed name gives way; a reference name does not
        taken = [(e.start, e.end) for e in analysis.entities if e.from_ruler or e.label == "PERSON"]
        out: list[Candidate] = []
        for _ in range(2):
            found = [
                c
                for offset, doc in analysis.parses
                for c in self._names_in_parse(body, offset, doc, people, taken, ctx)
            ]
            found = [c for c in found if not any(c.start == o.start for o in out)]
            if not found:
                break
            out += found
            people += [(c.start, c.end) for c in found]
        return out

    def _names_in_parse(
        self,
        body: str,
        offset: int,
        doc,
        people: list[tuple[int, int]],
        taken: list[tuple[int, int]],
        ctx: Context,
    ) -> list[Candidate]:
        def covering(tok) -> tuple[int, int] | None:
            pos = offset + tok.idx
            return next(((s, e) for s, e in people if s <= pos < e), None)

        out: list[Candidate] = []
        for tok in doc:
            if tok.pos_ != "PROPN":
                continue
            first = tok
            while first.i > 0 and doc[first.i - 1].dep_ == "compound" and doc[first.i - 1].head.i == tok.i:
                first = doc[first.i - 1]
            start, end = offset + first.idx, offset + tok.idx + len(tok.text)
            own = covering(tok)
            if own is not None:
                # a person entity that leaves out a given name the parse joins to it
                if not (own[0] > start and own[1] == end):
                    continue
                blocking = [(s, e) for s, e in taken if (s, e) != own]
            else:
                siblings = [tok.head, *(c for c in tok.children if c.dep_ in {"conj", "appos"})]
                listed = tok.dep_ in {"conj", "appos", "attr", "nsubj", "dobj"} and any(
                    covering(t) is not None for t in siblings if t.pos_ == "PROPN" and t.i != tok.i
                )
                # 'sentenced Marat Duisembiev to ...': the detainee slot of a detention trigger
                detainee = tok.dep_ in {"dobj", "nsubjpass"} and tok.head.lower_ in DETENTION_TABLE
                if not (listed or detainee):
                    continue
                blocking = taken
            if any(s < end and start < e for s, e in blocking) or not 2 <= len(body[start:end].split()) <= 3:
                continue
            words = body[start:end].split()
            if not all(NAME_WORD_RX.fullmatch(w) for w in words) or any(
                w.lower() in ORG_HEADS or w.lower() in PARTYISH_WORDS for w in words
            ):
                continue
            cand = self._person_candidate(start, end, "syntax", body, ctx)
            if cand:
                out.append(cand)
        return out

    def _title_before(self, body: str, start: int) -> bool:
        """A title or kinship word leads straight up to the span ('nephew Kairat Satybaldy')."""
        before = body[max(0, start - 60) : start]
        m = re.search(r"([A-Za-z][\w’'-]*(?:[ \t]+[\w’'-]+){0,3})[ \t]*,?[ \t]+$", before)
        if not m:
            return False
        words = m.group(1).split()
        return any(" ".join(words[i:]).lower().strip(",") in self.titles.roles for i in range(len(words)))

    def _given_name_before(self, body: str, start: int) -> int:
        """'Aydar Akayev' where the ruler only knew the surname 'Akayev': take the given name in too."""
        m = re.search(r"(?<![\w.!?])([A-Z][a-z]{2,})[ \t]+$", body[max(0, start - 30) : start])
        if not m:
            return start
        word = m.group(1)
        begin = start - len(m.group(0))
        before = body[:begin].rstrip()
        # '."' or ':' ends a sentence, an opening quote starts one; ',"' only closes a quotation
        sentence_start = (
            not before
            or before[-1] in ".!?:“"
            or (before[-1] in '"”' and (len(before) < 2 or before[-2] != ","))
        )
        low = word.lower()
        if (
            sentence_start
            or low in LEADING_STOPWORDS
            or low in NOT_NAME_WORDS
            or low in self.titles.roles
            or self.ref.country_of(word)
            or low in ORG_HEADS
            or low in PARTYISH_WORDS
        ):
            return start
        return begin

    def _country_usable(self, surface: str, country: tuple[str, str], ctx: Context, start: int) -> bool:
        # lower-case 'american' or 'turkish' in running text is not a reference to the country
        return surface[:1].isupper()

    def _person_candidate(
        self, start: int, end: int, detector: str, body: str, ctx: Context, strict: bool = False
    ) -> Candidate | None:
        patronymic = PATRONYMIC_AFTER_RX.match(body, end)
        if patronymic:
            end = patronymic.end()  # 'Almazbek Turgunbek' + ' uulu': the patronymic is part of the name
        text = body[start:end]
        line_start = body.rfind("\n", 0, start) + 1
        if CREDIT_RX.search(body[line_start:start]):
            return None  # a photo credit names a photographer, not an actor of the story
        if detector != "ruler" and ctx.is_headline(start):
            return None  # headline words in Title Case look like names to the model
        stripped, cut, roles = self.titles.strip_leading(text, self.ref)
        name = clean_person_name(stripped)
        if not name:
            return None
        # the span shrinks to the name itself: titles, possessives and punctuation left out
        core = strip_possessive(stripped.strip(EDGE_CHARS))
        surface_start = start + cut + (len(stripped) - len(stripped.lstrip(EDGE_CHARS)))
        surface_end = surface_start + len(core)
        key = name_key(name)
        if key in self.ref.party_keys or key in self.ref.organization_keys or self.ref.country_of(name):
            return None
        if strict and not (looks_like_person(name) or key in self.ref.person_keys or roles):
            return None
        if strict and not roles:
            roles = []
        return Candidate(surface_start, surface_end, "person", detector, name, roles=roles)

    # ------------------------------------------------------------ person patterns

    def _person_patterns(self, body: str, ctx: Context) -> list[Candidate]:
        """People the model misses: after a title ('activist X Y'), or 'X Y, a 22-year-old student'."""
        out: list[Candidate] = []
        name = rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,2}})"
        title_rx = self.titles.rx.pattern
        # exactly a given name and a surname, at the end of a capitalised run
        last_two = rf"(?P<name>{NAME_WORD}[ \t]+{NAME_WORD})(?![\w’'-])(?![ \t]+[A-Z])"
        rxs = (
            re.compile(rf"(?i:{title_rx})[ \t]*,?[ \t]+{name}"),
            # 'Deputy Minister of Preschool and School Education Dilnoza Ergasheva'
            re.compile(
                rf"(?i:{title_rx})[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?"
                rf"(?:(?:{NAME_WORD}|and|of|the|for)[ \t]+){{1,6}}?{last_two}"
            ),
            # 'A deputy of the Jogorku Kenesh, Dastan Bekeshev, was fined': the name in apposition to the post
            re.compile(
                rf"(?i:{title_rx})[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?"
                rf"(?:(?:{NAME_WORD}|and|of|the|for)[ \t]+){{0,5}}{NAME_WORD},[ \t]+{last_two}(?=[ \t]*,)"
            ),
            re.compile(rf"{name}[ \t]*,[ \t]+(?:an?|the)[ \t]+(?:[\w-]+[ \t]+){{0,3}}(?i:{title_rx})\b"),
            # 'Akmal Nuriddinov, director of the Anti-Corruption Agency'
            re.compile(rf"{name}[ \t]*,[ \t]+(?i:{title_rx})[ \t]+(?:of|at|for)\b"),
            re.compile(rf"\b(?:says|said|according to|wrote)[ \t]+{name}"),
        )
        # a candidate in a list of results: 'Adakhan Madumarov 6.46 percent', 'Ulugbek Inoyatov - 4.02
        # percent', 'Daniya Yespayeva of the Ak Zhol Democratic Party bagged 5.2 per cent'
        for m in RESULT_NAME_RX.finditer(body):
            if looks_like_person(m.group("name")):
                cand = self._person_candidate(
                    m.start("name"), m.end("name"), "pattern", body, ctx, strict=True
                )
                if cand:
                    out.append(cand)
        for rx in rxs:
            for m in rx.finditer(body):
                cand = self._person_candidate(m.start("name"), m.end("name"), "pattern", body, ctx)
                if cand and len(cand.name.split()) >= 2:
                    out.append(cand)
        # a glued name the model tagged as something else: 'says JohanEngvall (CACI Analyst)'
        for m in re.finditer(
            r"\b(?P<name>[A-Z][a-z]{2,}[A-Z][a-z]{2,})\b(?=[ \t]*\((?i:[^()]*?" + title_rx + r"))", body
        ):
            cand = self._person_candidate(m.start("name"), m.end("name"), "pattern", body, ctx)
            if cand:
                out.append(cand)
        return out

    # ------------------------------------------------------------ reference names in other spellings

    _RUN_RX = re.compile(rf"{NAME_WORD}(?:(?:[ \t]+|[ \t]+(?:of|and|va|the)[ \t]+){NAME_WORD}){{1,6}}")

    def _key_variants(self, body: str) -> list[Candidate]:
        """Party and organisation names of the reference written in another romanisation ('Aq Jol' for
        'Aq Zhol'): capitalised runs of two words or more whose name key is a reference key."""
        out: list[Candidate] = []
        for run in self._RUN_RX.finditer(body):
            words = list(re.finditer(r"\S+", run.group(0)))
            for i in range(len(words)):
                for j in range(min(len(words), i + 7), i, -1):
                    start, end = run.start() + words[i].start(), run.start() + words[j - 1].end()
                    text = body[start:end]
                    if not words[i].group(0)[0].isupper() or not words[j - 1].group(0)[0].isupper():
                        continue
                    key = name_key(text)
                    if len(key.split()) < 2:
                        continue
                    if key in self.ref.party_keys:
                        out.append(Candidate(start, end, "party", "ruler", text))
                        break
                    if key in self.ref.organization_keys:
                        out.append(Candidate(start, end, "organization", "ruler", text))
                        break
        return out

    def _countries_inside_names(self, chosen: list[Candidate], body: str) -> list[Candidate]:
        """'Social Democratic Party of Kyrgyzstan' names Kyrgyzstan too: a country mention inside it."""
        out: list[Candidate] = []
        for cand in chosen:
            if cand.kind not in ("party", "organization"):
                continue
            for m in re.finditer(
                r"\bof[ \t]+(?:the[ \t]+)?([A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+)?)",
                body[cand.start : cand.end],
            ):
                country = self.ref.country_of(m.group(1))
                if country and country[1] == "name":
                    start = cand.start + m.start(1)
                    out.append(
                        Candidate(
                            start,
                            start + len(m.group(1)),
                            "country",
                            "pattern",
                            m.group(1),
                            country_id=country[0],
                        )
                    )
        return out

    def _retype_foreign_party_alias(
        self, cand: Candidate, article_countries: set[str | None], ctx: Context
    ) -> Candidate | None:
        """A reference party name of another Central Asian country, not called a party here, is not that
        party: in a Kazakh story 'Atameken' is the chamber of entrepreneurs, not Kyrgyzstan's Ata-Meken.
        It becomes the organisation of that name when there is one, else nothing."""
        if cand.kind != "party" or cand.detector != "ruler":
            return cand
        local = {c for c in article_countries if c in CENTRAL_ASIA}
        ids = self.ref.party_keys.get(name_key(cand.name), [])
        if not local or not ids or any(self.ref.parties[i].country_id in local for i in ids):
            return cand
        near = ctx.body[max(0, cand.start - 25) : cand.end + 25]
        if re.search(r"(?i)\b(?:party|parties|movement|bloc|faction)\b", near):
            return cand
        if name_key(cand.name) in self.ref.organization_keys:
            cand.kind = "organization"
            return cand
        return None

    # ------------------------------------------------------------ re-typing

    def _retype_party_like_orgs(self, chosen: list[Candidate], ctx: Context) -> list[Candidate]:
        out = []
        for cand in chosen:
            if cand.kind == "party" and self._followed_by_org_head(cand, ctx):
                cand.kind = "organization"
            out.append(cand)
        return out

    def _followed_by_org_head(self, cand: Candidate, ctx: Context) -> bool:
        """'the “Amanat” Commonwealth of Trade Unions': a party-like name inside an organisation's name."""
        if cand.detector == "pattern":
            return False
        after = ctx.body[cand.end : cand.end + 40]
        m = re.match(r"[”\"»’']?\s*((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)", after)
        return bool(m and any(fold(w) in ORG_HEADS for w in m.group(1).split()))

    def _retype_surname_orgs(self, chosen: list[Candidate]) -> None:
        """An ORG of the model's that is the surname, or the whole name, of a person named in the
        article ('Following the tragic events, Zhanbolat Mamay organized ...')."""
        people = {name_key(c.name) for c in chosen if c.kind == "person" and " " in c.name}
        surnames = {key.split()[-1] for key in people}
        for cand in chosen:
            if cand.kind != "organization" or cand.detector != "ner":
                continue
            key = name_key(cand.name)
            if key in people or (" " not in cand.name.strip() and key in surnames):
                cand.kind = "person"

    def _main_country(self, chosen: list[Candidate]) -> str | None:
        counts = Counter(c.country_id for c in chosen if c.kind == "country" and c.country_id in CENTRAL_ASIA)
        return counts.most_common(1)[0][0] if counts else None

    # ------------------------------------------------------------ output

    def _to_mention(self, number: int, cand: Candidate, body: str) -> Mention:
        canonical = cand.name
        if cand.kind == "country":
            canonical = (
                self.ref.countries[cand.country_id].name
                if cand.country_id in self.ref.countries
                else canonical
            )
        return Mention(
            mention_no=number,
            entity_type=cand.kind,
            surface_text=body[cand.start : cand.end],
            char_start=cand.start,
            char_end=cand.end,
            canonical_name=canonical,
            name_key=name_key(canonical),
            ref_id=cand.ref_id if cand.kind != "country" else cand.country_id,
            country_id=cand.country_id,
            roles=list(cand.roles) if cand.kind == "person" else [],
            party_name_key=cand.party_name_key,
            party_kind=cand.party_kind if cand.kind == "party" else None,
            party_status=cand.party_status if cand.kind == "party" else None,
            detector=cand.detector,
        )


# Nouns that introduce an organisation's name: 'the outlet Ayan Media', 'the group Atajurt Eriktileri'.
ORG_INTRODUCERS = (
    "group",
    "organization",
    "organisation",
    "ngo",
    "association",
    "outlet",
    "newspaper",
    "website",
    "site",
    "channel",
    "agency",
    "company",
    "firm",
    "foundation",
    "fund",
    "network",
    "station",
    "magazine",
    "portal",
    "publication",
    "broadcaster",
    "bank",
    "initiative",
    "platform",
    "daily",
    "weekly",
    "tv",
    "charity",
    "watchdog",
    "union",
    "club",
    "center",
    "centre",
    "institute",
    "think tank",
    "publisher",
    "brand",
)
_ORG_INTRODUCER_RX = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in ORG_INTRODUCERS) + r")[ \t]+[“\"«]?$", re.I
)


def _names_an_organization(body: str, start: int, text: str) -> bool:
    """A name-shaped span that is an organisation: it ends in an organisation word ('Ayan Media') or an
    organisation noun introduces it ('the human rights group Atajurt Eriktileri')."""
    words = text.split()
    if words and fold(words[-1]).strip(".,’'") in ORG_HEADS:
        return True
    return bool(_ORG_INTRODUCER_RX.search(body[max(0, start - 40) : start]))


def _plausible_org(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 8 or not text[0].isupper():
        return False
    if len(words) == 1 and not (text.isupper() and len(text) >= 2 or re.search(r"[.\d]|[a-z][A-Z]", text)):
        return False  # a lone capitalised word ('Collapse', 'Committee') is rarely an organisation
    return not re.search(r"\d{2,}|[@#]|https?:", text)


_EXTRACTORS: dict[int, EntityExtractor] = {}


def extract_mentions(body: str, analysis: Analysis, ref: Reference) -> list[Mention]:
    """Resolved mentions of one article (mention_no from 1, ordered by offset)."""
    extractor = _EXTRACTORS.get(id(ref))
    if extractor is None or extractor.ref is not ref:
        extractor = _EXTRACTORS[id(ref)] = EntityExtractor(ref)
    return extractor.extract(body, analysis)
