"""Russian entity mentions: people from slovnet's NER, countries, parties and bodies from the seeds.

Every mention keeps its surface form (the evidence) and gets a Latin canonical name: the
reference's English name when the seeds know the entity, else the Wikipedia romanisation of
the nominative. `name_key` folds both scripts, so dbt gives one actor or party id to
'Токаев' here and 'Tokayev' in an English article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flows.extract.model import Mention
from flows.extract.names import name_key, same_person, same_surname
from flows.extract.reference import Reference
from flows.extract.russian.gazetteer import Entry, gazetteer
from flows.extract.russian.names import latin, nominative, surname_first
from flows.extract.russian.nlp import RuAnalysis, Sentence, Token

# Lines that open a list of links to other stories, or are page furniture.
_FURNITURE_RX = re.compile(
    r"(?im)^[ \t]*(?:читайте (?:также|еще|ещё)|читать также|смотрите также|см\. также|похожие новости"
    r"|популярные новости|новости по теме|другие новости|последние новости|самое читаемое|лента новостей"
    r"|материалы по теме|по теме|также читайте|выбор редакции)\b[^\n]*$"
)
_LINK_LINE_RX = re.compile(r"(?m)^[ \t]*[-–—•][ \t]+[^\n]*$")
_PARTY_HEADS = {"партия", "демпартия", "движение", "блок", "фронт", "альянс"}
_MOVEMENT_HEADS = {"движение"}
_LETTER_RX = re.compile(r"[A-Za-z\u0400-\u04ff]")
# Words that precede a name without being part of it, even capitalised at a line's start.
_NOT_GIVEN_NAMES = {"президент", "премьер", "судья", "глава", "лидер", "депутат", "министр", "аким", "хоким",
                    "председатель", "активист", "активистка", "журналист", "блогер", "адвокат", "экс"}  # fmt: skip
# '- «Ишеним» — 13,38 процента', '• Adal – 3,57%', '- «Ата Мекен».': a quoted name as a list item,
# or an unquoted short name followed by a dash and a figure
_LIST_ITEM_RX = re.compile(
    r"(?m)^[ \t]*(?:[-–—•][ \t]*)?(?:[«\"“]([^»\"”\n]{2,60})[»\"”]"
    r"|(?<=[-–—•] )([A-ZА-ЯЁ][\w-]*(?: [\w-]+){0,3})(?=[ \t]+[–—-][ \t]*\d))"
)
_QUOTED_RX = re.compile(r"[«\"“]([^»\"”\n]{2,60})[»\"”]")


def furniture_spans(body: str) -> list[tuple[int, int]]:
    """'Читайте также:' and the headlines under it; a closing block of dashed link lines."""
    spans: list[tuple[int, int]] = []
    for m in _FURNITURE_RX.finditer(body):
        end = m.end()
        pos = end
        while pos < len(body):  # the short headline-like lines that follow, blank lines included
            nl = body.find("\n", pos + 1)
            line_end = nl if nl >= 0 else len(body)
            line = body[pos:line_end].strip()
            if line and (
                len(line.split()) > 20 or (len(line.split()) > 8 and line.endswith((".", "!", "?")))
            ):
                break
            if line:
                end = line_end
            pos = line_end
        spans.append((m.start(), end))
    # a run of dashed lines that closes the page and reads like headlines (no closing stop)
    lines = list(_LINK_LINE_RX.finditer(body))
    tail: list[re.Match[str]] = []
    for m in reversed(lines):
        after = body[m.end() :].strip()
        if (tail and after.startswith(body[tail[-1].start() : tail[-1].end()].strip())) or not after:
            text = m.group(0).strip()
            if text.endswith((".", ";", ":", "!", "?")) or "%" in text or "процент" in text:
                break
            tail.append(m)
        else:
            break
    if len(tail) >= 2:
        spans.append((tail[-1].start(), tail[0].end()))
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


@dataclass
class Found:
    kind: str  # person | party | country | organization
    start: int
    end: int
    canonical: str
    ref_id: str | None = None
    country_id: str | None = None
    party_kind: str | None = None
    party_status: str | None = None
    detector: str = "ner"
    tokens: list[Token] = field(default_factory=list)
    sentence: Sentence | None = None


def _overlaps(a: Found, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def _truncated_end(body: str) -> int:
    """Offset after which a name may be cut off: the last word when the body stops mid-sentence."""
    stripped = body.rstrip()
    if not stripped or stripped[-1] in '.!?»"”)…':
        return len(body)
    return len(stripped) - len(stripped.split()[-1]) if stripped.split() else len(body)


def _clean_person_tokens(tokens: list[Token], body: str) -> list[Token]:
    """Trim a PER span to its name words: stop at a line break, drop hashtags' marks and symbols."""
    out: list[Token] = []
    for i, t in enumerate(tokens):
        if i and "\n" in body[tokens[i - 1].end : t.start]:
            break
        if not _LETTER_RX.search(t.text):
            continue  # '#', emoji such as 'ℹ️' (a letter-like symbol to \w)
        out.append(t)
    # leading common nouns ('Демпартии Жанболата Мамая'): keep from the first capitalised name word
    while out and out[0].lemma in _PARTY_HEADS | {"демпартия"}:
        out = out[1:]
    return out


class RussianEntities:
    def __init__(self, body: str, analysis: RuAnalysis, ref: Reference) -> None:
        self.body = body
        self.analysis = analysis
        self.ref = ref
        self.furniture = furniture_spans(body)
        self.cut_at = _truncated_end(body)
        self.found: list[Found] = []

    # ------------------------------------------------------------------ seeds
    def _from_seeds(self) -> None:
        gaz = gazetteer(self.ref)
        for sentence in self.analysis.sentences:
            for first, last, entry in gaz.matches(sentence):
                tokens = sentence.tokens[first:last]
                start, end = tokens[0].start, tokens[-1].end
                if _inside(self.furniture, start, end) or end > self.cut_at:
                    continue
                self.found.append(self._seed_found(entry, start, end, tokens, sentence))
                if entry.kind in ("party", "organization") and last - first > 1:
                    self._countries_inside(sentence, first, last)

    def _countries_inside(self, sentence: Sentence, first: int, last: int) -> None:
        """'КНБ Казахстана', 'Ата Журт Кыргызстан': a body's or party's name that names a country
        names the country too."""
        inner = Sentence(sentence.start, sentence.end, sentence.text, sentence.tokens[first + 1 : last])
        for a, b, entry in gazetteer(self.ref).matches(inner):
            if entry.kind == "country" and entry.alias_kind == "name":
                tokens = inner.tokens[a:b]
                self.found.append(self._seed_found(entry, tokens[0].start, tokens[-1].end, tokens, sentence))

    def _seed_found(
        self, entry: Entry, start: int, end: int, tokens: list[Token], sentence: Sentence
    ) -> Found:
        ref = self.ref
        if entry.kind == "country":
            country = ref.countries.get(entry.ref_id)
            return Found("country", start, end, country.name if country else entry.ref_id,
                         ref_id=entry.ref_id, country_id=entry.ref_id, detector="ruler",
                         tokens=tokens, sentence=sentence)  # fmt: skip
        if entry.kind == "party":
            party = ref.parties[entry.ref_id]
            return Found("party", start, end, party.name, ref_id=party.party_ref_id, country_id=party.country_id,
                         party_kind=party.kind, detector="ruler", tokens=tokens, sentence=sentence)  # fmt: skip
        if entry.kind == "person":
            person = ref.people[entry.ref_id]
            return Found("person", start, end, person.name, ref_id=person.person_ref_id,
                         country_id=person.country_id, detector="ruler", tokens=tokens, sentence=sentence)  # fmt: skip
        org = ref.organizations[entry.ref_id]
        return Found("organization", start, end, org.name, ref_id=org.org_ref_id, country_id=org.country_id,
                     detector="ruler", tokens=tokens, sentence=sentence)  # fmt: skip

    # ------------------------------------------------------------------ people
    def _people(self) -> None:
        spans = [s for s in self.analysis.spans if s.type == "PER"]
        # 'Бактыбека' + 'Афтандил уулу': adjacent PER spans on one line are one name
        merged: list[tuple[int, int]] = []
        for s in spans:
            if (
                merged
                and 0 <= s.start - merged[-1][1] <= 1
                and "\n" not in self.body[merged[-1][1] : s.start]
            ):
                merged[-1] = (merged[-1][0], s.end)
            else:
                merged.append((s.start, s.end))
        for start, end in merged:
            sentence = self._sentence_at(start)
            if sentence is None:
                continue
            tokens = _clean_person_tokens(
                [t for t in sentence.tokens if start <= t.start and t.end <= end], self.body
            )
            tokens = _with_given_name(sentence, tokens, self.body)
            if not tokens:
                continue
            start, end = tokens[0].start, tokens[-1].end
            if _inside(self.furniture, start, end) or end > self.cut_at:
                continue
            if any(_overlaps(f, start, end) and f.kind != "person" for f in self.found):
                continue  # a city, country or party the seeds know ('Экибастуз')
            if any(_overlaps(f, start, end) and f.kind == "person" for f in self.found):
                continue  # a reference person: the seed match already has it
            if len(tokens) == 1 and not _name_like(tokens[0]):
                continue
            self.found.append(self._person(tokens, sentence))

    def _person(self, tokens: list[Token], sentence: Sentence) -> Found:
        words = nominative(tokens).split()
        words = [w.lstrip("#") for w in words if w.strip("#")]
        if surname_first(words):
            words = words[::-1]
        native = " ".join(words)
        canonical, ref_id, country_id = latin(native), None, None
        ids = self.ref.person_keys.get(name_key(native)) or self.ref.person_keys.get(name_key(canonical))
        if ids and len(ids) == 1:
            person = self.ref.people[ids[0]]
            canonical, ref_id, country_id = person.name, person.person_ref_id, person.country_id
        return Found("person", tokens[0].start, tokens[-1].end, canonical, ref_id=ref_id, country_id=country_id,
                     tokens=tokens, sentence=sentence)  # fmt: skip

    def _sentence_at(self, offset: int) -> Sentence | None:
        for s in self.analysis.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    # ------------------------------------------------------------------ parties the seeds do not know
    def _new_parties(self) -> None:
        for sentence in self.analysis.sentences:
            for i, t in enumerate(sentence.tokens):
                if t.lemma not in _PARTY_HEADS or t.lemma == "альянс":
                    continue
                quoted = self._party_name_after(sentence, i)
                found = quoted or self._party_name_of(sentence, i)
                if found:
                    start, end, name, kind = found
                    if _inside(self.furniture, start, end) or end > self.cut_at:
                        continue
                    if quoted:  # 'партии «Алга Казахстан»': the whole quoted name, not the 'Алга' inside it
                        self.found = [
                            f for f in self.found
                            if not (f.kind == "party" and start <= f.start and f.end <= end and f.end - f.start < end - start)
                        ]  # fmt: skip
                    if any(_overlaps(f, start, end) for f in self.found if f.kind in ("party", "person")):
                        continue
                    self.found.append(Found("party", start, end, name, party_kind=kind, detector="pattern",
                                            sentence=sentence))  # fmt: skip
        self._listed_parties()

    def _party_name_after(self, sentence: Sentence, i: int) -> tuple[int, int, str, str] | None:
        """'партии «Алга Казахстан»', 'движения «Демократический выбор Казахстана»'."""
        head = sentence.tokens[i]
        m = _QUOTED_RX.match(self.body, self._skip_space(head.end))
        if not m:
            return None
        name = m.group(1).strip()
        if not name[:1].isupper():
            return None
        kind = "movement" if head.lemma in _MOVEMENT_HEADS else "party"
        return m.start(1), m.end(1), self._party_canonical(name), kind

    def _party_name_of(self, sentence: Sentence, i: int) -> tuple[int, int, str, str] | None:
        """'Аграрной партии Таджикистана', 'Партия зеленых Кыргызстана': adjectives, head, complements."""
        tokens = sentence.tokens
        first = i
        while (
            first > 0 and tokens[first - 1].pos == "ADJ" and _governed_by(tokens, first - 1, i, first - 1, i)
        ):
            first -= 1
        last = i
        while (
            last + 1 < len(tokens)
            and last + 1 - i <= 4
            and tokens[last + 1].pos in ("NOUN", "PROPN", "ADJ")
            and tokens[last + 1].rel in ("nmod", "amod", "flat:name", "flat", "appos")
            and _governed_by(tokens, last + 1, i, first, last + 2)
        ):
            last += 1
        span_tokens = tokens[first : last + 1]
        if tokens[i].lemma == "демпартия" and tokens[i].text[:1].isupper():
            span_tokens = [tokens[i]]  # 'Демпартия' is a name on its own ('Демпартии Жанболата Мамая')
        elif len(span_tokens) < 2 or not span_tokens[0].text[:1].isupper():
            return None
        start, end = span_tokens[0].start, span_tokens[-1].end
        native = " ".join(_nominative_phrase(span_tokens))
        kind = "movement" if tokens[i].lemma in _MOVEMENT_HEADS else "party"
        return start, end, self._party_canonical(native), kind

    def _listed_parties(self) -> None:
        """'- «Ишеним» — 13,38 процента;': quoted names as items of a list in an article about parties."""
        lemmas = {t.lemma for s in self.analysis.sentences for t in s.tokens}
        if not lemmas & (_PARTY_HEADS | {"выборы", "выбор", "голосование", "партийный"}):
            return  # quoted list items are parties only in an article about parties or a vote
        for m in _LIST_ITEM_RX.finditer(self.body):
            group = 1 if m.group(1) else 2
            start, end = m.start(group), m.end(group)
            if _inside(self.furniture, start, end) or end > self.cut_at:
                continue
            if any(_overlaps(f, start, end) for f in self.found if f.kind in ("party", "person")):
                continue
            # '- «Азаттык».' in a list of parties is the party, not the radio of the same name
            self.found = [
                f for f in self.found if not (f.kind == "organization" and _overlaps(f, start, end))
            ]
            name = m.group(group).strip()
            if not name[:1].isupper():
                continue
            self.found.append(Found("party", start, end, self._party_canonical(name), party_kind="party",
                                    detector="pattern", sentence=self._sentence_at(start)))  # fmt: skip

    def _party_canonical(self, native: str) -> str:
        ids = self.ref.party_keys.get(name_key(native)) or self.ref.party_keys.get(name_key(latin(native)))
        if ids and len(ids) == 1:
            return self.ref.parties[ids[0]].name
        return latin(native)

    def _skip_space(self, offset: int) -> int:
        while offset < len(self.body) and self.body[offset] in " \t":
            offset += 1
        return offset

    # ------------------------------------------------------------------ one name per person in the article
    def _unify_people(self) -> None:
        people = [f for f in self.found if f.kind == "person"]
        full = [f for f in people if len(f.canonical.split()) > 1]
        # 'Таалай' and 'Таалайбек Дуйшенбиев' in one article: one person, under the fuller name
        for f in full:
            if f.ref_id:
                continue
            same = [o for o in full if o is not f and _one_person_in_article(o.canonical, f.canonical)]
            counts = {o.canonical: sum(p.canonical == o.canonical for p in full) for o in [f, *same]}
            # the reference's name, else the spelling the article uses most, else its first
            best = max([f, *same], key=lambda o: (o.ref_id is not None, counts[o.canonical], -o.start))
            if best is not f:
                f.canonical, f.ref_id, f.country_id = best.canonical, best.ref_id, best.country_id
        self._known_as(people)
        for f in people:
            if len(f.canonical.split()) != 1:
                continue
            key = name_key(f.canonical)
            owners = {o.canonical: o for o in full if same_surname(name_key(o.canonical).split()[-1], key)}
            if len(owners) == 1:
                owner = next(iter(owners.values()))
                f.canonical, f.ref_id, f.country_id = owner.canonical, owner.ref_id, owner.country_id

    def _known_as(self, people: list[Found]) -> None:
        """'Валерия Югая, известного как Абдуллох': the name after 'известный как' is his too."""
        for f in people:
            before = self.body[max(0, f.start - 30) : f.start]
            if not _KNOWN_AS_RX.search(before):
                continue
            earlier = [o for o in people if o.end <= f.start and len(o.canonical.split()) > 1]
            if earlier and f.start - earlier[-1].end <= 40:
                owner = earlier[-1]
                f.canonical, f.ref_id, f.country_id = owner.canonical, owner.ref_id, owner.country_id

    def _statuses(self) -> None:
        for f in self.found:
            if f.kind == "party":
                f.party_status = party_status(self.body, f)

    def run(self) -> list[Mention]:
        self._from_seeds()
        self._people()
        self._new_parties()
        self._unify_people()
        self._statuses()
        self.found.sort(key=lambda f: (f.start, -f.end))
        mentions = []
        for number, f in enumerate(self.found):
            mentions.append(
                Mention(
                    mention_no=number,
                    entity_type=f.kind,
                    surface_text=self.body[f.start : f.end],
                    char_start=f.start,
                    char_end=f.end,
                    canonical_name=f.canonical,
                    name_key=name_key(f.canonical),
                    ref_id=f.ref_id,
                    country_id=f.country_id,
                    party_kind=f.party_kind if f.kind == "party" else None,
                    party_status=f.party_status if f.kind == "party" else None,
                    detector=f.detector,
                )
            )
        return mentions


_KNOWN_AS_RX = re.compile(
    r"(?i)(?:известн\w+|более известн\w+|по прозвищу|под псевдонимом|он же|она же)\s+(?:как\s+)?$"
)


def _one_person_in_article(a: str, b: str) -> bool:
    """Two full names in one article are one person: a guarded match, or the same given name
    with a surname one letter off ('Валерий Югай' / 'Валерий Дюгай')."""
    if same_person(a, b):
        return True
    ka, kb = name_key(a).split(), name_key(b).split()
    if len(ka) < 2 or len(kb) < 2 or ka[0] != kb[0] or len(ka[0]) < 3:
        return False
    return _edits_at_most_one(ka[-1], kb[-1]) and min(len(ka[-1]), len(kb[-1])) >= 4


def _edits_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            edits += 1
            if edits > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1


def _with_given_name(sentence: Sentence, tokens: list[Token], body: str) -> list[Token]:
    """'Миру Карыбаеву' when NER took only the surname: a capitalised word right before it, mid-sentence."""
    if not tokens:
        return tokens
    first = tokens[0]
    if first.index < 2:
        return tokens
    before = sentence.tokens[first.index - 1]
    if (
        before.text[:1].isupper()
        and before.pos in ("PROPN", "NOUN")
        and before.lemma not in _NOT_GIVEN_NAMES
        and body[before.end : first.start] == " "
        and len(tokens) == 1
        and before.case == first.case
    ):
        return [before, *tokens]
    return tokens


def _governed_by(tokens: list[Token], index: int, head: int, low: int, high: int) -> bool:
    """The token's chain of heads reaches `head` without leaving tokens[low:high]."""
    seen = 0
    while index != head and seen < 6:
        index = tokens[index].head
        if index < low or index >= high:
            return index == head
        seen += 1
    return index == head


def _name_like(token: Token) -> bool:
    """A lone PER token that is a name, not a capitalised common word ('Сегодня')."""
    from flows.extract.russian.nlp import morph_vocab

    if not token.text[:1].isupper() or len(token.text) < 3:
        return False
    for form in morph_vocab().parse(token.text.lower())[:2]:
        if form.pos not in ("NOUN", "PROPN") and form.pos:
            return False
    return True


def _nominative_phrase(tokens: list[Token]) -> list[str]:
    """A party name's words in the nominative: inflect the head and its adjectives, keep the rest."""
    from flows.extract.russian.nlp import morph_vocab

    vocab = morph_vocab()
    head = next((t for t in tokens if t.lemma in _PARTY_HEADS), None)
    out = []
    for t in tokens:
        if head is not None and (
            t is head or (t.pos == "ADJ" and t.head == head.index and t.index < head.index)
        ):
            word = t.lemma
            if t is not head and head.feats.get("Gender") == "Fem":
                word = _feminine(word, vocab)
            elif t is not head and head.feats.get("Gender") == "Neut":
                word = _neuter(word)
            out.append(word[:1].upper() + word[1:] if t.text[:1].isupper() else word)
        else:
            out.append(t.text)
    return out


def _feminine(adjective: str, vocab) -> str:
    for ending, repl in (("ый", "ая"), ("ий", "ая"), ("ой", "ая")):
        if adjective.endswith(ending):
            stem = adjective[: -len(ending)]
            return stem + (
                "яя" if ending == "ий" and stem[-1:] == "н" and not stem.endswith("ческ") else repl
            )
    return adjective


def _neuter(adjective: str) -> str:
    for ending, repl in (("ый", "ое"), ("ий", "ое"), ("ой", "ое")):
        if adjective.endswith(ending):
            return adjective[: -len(ending)] + repl
    return adjective


# ---------------------------------------------------------------------- party status
_BANNED_RX = re.compile(
    r"(?i)\b(?:запрещ[её]нн\w*|запрещен[аоы]?\b|экстремистск\w*|террористическ\w*|ликвидирова\w*)"
)
_UNREGISTERED_RX = re.compile(r"(?i)\b(?:незарегистрированн\w*|не зарегистрирован\w*|отказал\w*[^.]{0,40}регистрац\w*"
                              r"|отказ\w*[^.]{0,20}в регистрации|не да\w*[^.]{0,10}зарегистрировать"
                              r"|регистрац\w*[^.]{0,80}(?:отказал|отказали|отказано))")  # fmt: skip
_REGISTERED_RX = re.compile(r"(?i)\bзарегистрировал\w*|\bзарегистрирован[аоы]?\b")


def party_status(body: str, found: Found) -> str | None:
    """The status the party's own sentence gives: a cue just before the name, or one about it."""
    before = body[max(0, found.start - 60) : found.start]
    before = before[before.rfind(".") + 1 :]
    if _BANNED_RX.search(before):
        return "banned"
    if _UNREGISTERED_RX.search(before):
        return "unregistered"
    sentence = found.sentence
    if sentence is None:
        return None
    text = body[sentence.start : sentence.end]
    if _UNREGISTERED_RX.search(text):
        return "unregistered"
    # 'Партия X признана экстремистской и запрещена': the cue after the name, about it
    after = body[found.end : sentence.end]
    if _BANNED_RX.search(after[:80]) and not re.search(r"[«\"]", after[: _BANNED_RX.search(after).start()]):
        return "banned"
    return None
