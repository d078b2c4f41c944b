"""Election results: who won which share of the vote, how many seats, how many votes.

A figure ('53.9%', '62 seats', '1,200,000 votes') in a sentence about an election belongs to a
holder: the name written right before it in a list ('Adakhan Madumarov 6.46 percent'), else the
winner the parse gives for the result verb above it (`rules.tables.RESULT_ROWS`: 'X won ... with
70.76%', '50.4 percent supported the ruling party', 'followed by Auyl with 10.9%'), else the
nearest party or candidate. The election is the nearest one the article mentioned before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.extract.model import Mention
from flows.extract.rules.arguments import RELATIVE_PRONOUNS, antecedent, is_negated
from flows.extract.rules.context import ArticleContext, Sentence
from flows.extract.rules.elections import STRONG_FUTURE, ElectionCluster, ElectionMention
from flows.extract.rules.lexicon import NUMBER_WORD, parse_number
from flows.extract.rules.tables import RESULT_TABLE

_PCT = re.compile(
    r"(?<![\d.])(?P<v>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:%|percent\b|per[\s-]?cent\b|p\.\s?c\b\.?|pc\b)", re.I
)
_SEATS = re.compile(
    r"(?<![\w-])(?P<v>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+(?:of the\s+\d+\s+)?(?:parliamentary\s+)?"
    r"(?:seats|deputies|mandates|MPs|deputy mandates|members of parliament)\b",
    re.I,
)
_VOTES = re.compile(
    r"(?<![\d.,])(?P<v>\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?\s*(?:million|thousand)|\d{3,})\s+votes\b", re.I
)
_VOTE_CONTEXT = re.compile(
    r"\b(?:votes?|ballots|won|win|wins|winning|gain(?:ed|ing|s)?|receiv(?:ed|ing|es)|garner"
    r"(?:ed|ing)|secur(?:ed|ing)|obtain(?:ed|ing)|took|support(?:ed)? by|scor(?:ed|ing)"
    r"|result|candidates?|followed by|bagged|got|came (?:first|second|third)|finished|voters|voted|(?:re-?)?elected)\b",
    re.I,
)
_NOT_SHARE = re.compile(
    # an opinion poll's figure is no result; 'won the snap poll with 81.3 percent' is one
    r"\b(?:turnout|threshold|barrier|inflation|growth|gdp|devaluation|rate|approval|(?:opinion|exit|recent|latest)"
    r"\s+polls?|polled|polling|pollsters?|survey)\b",
    re.I,
)
_BOUND_BEFORE = re.compile(
    r"\b(?:more|less|fewer) than\s+$|\b(?:over|under|above|below|at least|at most|exceed\w*|up to)\s+$", re.I
)
_APPROVAL = re.compile(
    r"\b(?:supported|backed|approved|endorsed|in favou?r|voted for|voted yes|said yes|yes vote)\b", re.I
)
_HOLDING = re.compile(r"\b(?:has|have|holds?|currently|occup(?:y|ies)|controls?|dominated)\b", re.I)


@dataclass
class ResultDraft:
    cluster: int
    sentence: Sentence
    party: Mention | None = None
    actor: Mention | None = None
    vote_share_pct: float | None = None
    seats: int | None = None
    vote_count: int | None = None


def _number(text: str) -> int | None:
    t = text.lower().replace(",", "").replace(" ", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(million|thousand)?", t)
    if m:
        scale = {"million": 1_000_000, "thousand": 1000}.get(m.group(2) or "", 1)
        return int(float(m.group(1)) * scale)
    return parse_number(text)


_HOLDER_TYPE = {"presidential": "person", "parliamentary": "party", "local": "party"}


def _approval_share(sentence: Sentence, start: int, end: int, value: float) -> float | None:
    """A referendum's 'yes' share: '77.18 percent of voters backed the amendments'. It belongs to no party
    or candidate; 'voted against' and turnout figures are not it."""
    clause = sentence.text[start : end + 60]
    clause = re.split(r"[,;]", clause, maxsplit=1)[0]
    if _APPROVAL.search(clause) and not re.search(r"\bagainst\b", clause, re.I):
        return value
    return None


_WON_BY_PRONOUN = re.compile(
    r"\b(?:he|she)\s+(?:won|received|took|gained|secured|garnered|got)\b[^,;]*$", re.I
)


# a verb of winning right before the number: whoever won is its subject, before it
_WON_BEFORE_NUMBER = re.compile(
    r"\b(?:won|wins|received|receives|took|takes|gained|gains|got|gets|secured|secures|garnered|obtained"
    r"|collected)\s+(?:(?:about|around|nearly|almost|over|only|just|some|more than|less than)\s+)?$",
    re.I,
)
_CLAUSE_BREAK = re.compile(r";|\b(?:while|whereas|but)\b", re.I)


def _holders(
    ctx: ArticleContext, sentence: Sentence, pos: int, end: int, prefer: str | None = None
) -> list[Mention]:
    """The party (or candidate) a number belongs to: the nearest one before it in the sentence
    (all of a coordinated 'A and B each have ...'), else the nearest one after it. In a presidential
    election a candidate is preferred to the party that nominated them ('X, nominated by party P,
    received 87%'), in a parliamentary one the party to its leader. A sentence that names no one but
    opens with 'He'/'She' speaks of the person the pronoun refers to."""
    sides = ctx.mentions_in(sentence.start, sentence.end, ("party", "person"))
    won_by = _WON_BY_PRONOUN.search(ctx.body, max(sentence.start, pos - 60), pos)
    if won_by and prefer != "party":
        # '..., which he won with 72.97%': the winner is who the pronoun refers to, not the person named last
        people = ctx.resolve_pronoun(sentence, won_by.start(), plural=False)
        if people:
            return people[:1]
    if prefer is not None:
        preferred = [
            m for m in sides if m.entity_type == prefer and m.char_end <= pos and pos - m.char_end < 90
        ]
        if preferred or prefer == "party":
            # party-list votes belong to parties: the official announcing them holds none
            sides = [m for m in sides if m.entity_type == prefer]
    if not sides and re.match(r"(?:He|She)\b", sentence.text):
        sides = ctx.resolve_pronoun(sentence, sentence.start, plural=False)
        return sides[:1] if sides and sides[0].char_end <= pos else []
    before = [m for m in sides if m.char_end <= pos]
    between_each = (
        re.search(r"\beach\b", ctx.body[before[-1].char_end if before else pos : pos]) if before else None
    )
    if before and pos - before[-1].char_end < 90:
        if between_each:
            chain = [before[-1]]
            for prev in reversed(before[:-1]):
                if re.fullmatch(
                    r"\s*(?:,|,?\s*and)\s*(?:the\s+)?", ctx.body[prev.char_end : chain[0].char_start]
                ):
                    chain.insert(0, prev)
                else:
                    break
            return chain
        return [before[-1]]
    if _WON_BEFORE_NUMBER.search(ctx.body, max(sentence.start, pos - 40), pos):
        return []  # 'The Social Democrats won 12 seats, while X ...': the unnamed subject won them, not X
    after = [m for m in sides if m.char_start >= end]
    if after and _CLAUSE_BREAK.search(ctx.body, end, after[0].char_start):
        after = []  # a party named in the next clause holds nothing of this one
    if not after and sentence.end - end <= 2 and sentence.index + 1 < len(ctx.sentences):
        # '8.5 p.c. of the votes, Respublica ...' may be cut after the abbreviation's full stop
        nxt = ctx.sentences[sentence.index + 1]
        after = ctx.mentions_in(nxt.start, nxt.end, ("party", "person"))
        end = nxt.start
    if after and after[0].char_start - end < 60:
        return [after[0]]
    return []


_NAME_FIGURE_GLUE = re.compile(r"\s*(?:[:–—-]|\(|,)?\s*(?:with\s+|had\s+|has\s+)?$")


def _named_right_before(ctx: ArticleContext, sentence: Sentence, pos: int) -> list[Mention] | None:
    """'..., Adakhan Madumarov 6.46 percent, and Temir Sariyev 2.56 percent', 'Amanat – 53.9%': in a
    list a figure belongs to the name written right before it (a lexical list, not a clause)."""
    before = [m for m in ctx.mentions_in(sentence.start, pos, ("person", "party")) if m.char_end <= pos]
    if not before:
        return None
    last = before[-1]
    return [last] if _NAME_FIGURE_GLUE.fullmatch(ctx.body[last.char_end : pos]) else None


def _syntax_holders(ctx: ArticleContext, sentence: Sentence, pos: int) -> list[Mention] | None:
    """Whose figure this is, from the parse: climbing from the figure, the first person or party met
    ('..., Y 7.2%' in a gapped list) or the winner of the first result verb met ('X won the election
    with 70.76%', 'the party took 62 seats', '50.4 percent supported the ruling party'). An expected or
    hoped-for figure ('was expected to secure 70.13%') belongs to no one. None when the figure is in no
    parsed result clause."""
    for offset, doc in ctx.parses:
        if not (offset <= pos < offset + len(doc.text)) or not (sentence.start <= offset < sentence.end):
            continue
        figure = next((t for t in doc if offset + t.idx <= pos < offset + t.idx + len(t.text)), None)
        if figure is None:
            return None
        frames = {f.trigger.i: f for _, f in ctx.frames(sentence, RESULT_TABLE) if f.trigger.doc is doc}
        current, via = figure, None
        for _ in range(12):
            frame = frames.get(current.i)
            if frame is not None:
                if is_negated(frame.trigger):
                    return []
                winners = (
                    _gapped_conjunct(frame, via) or frame.patients[:1] or [frame.agent] * bool(frame.agent)
                )
                return _mentions_for(ctx, offset, winners, sentence)
            if current.i != figure.i and current.pos_ == "PROPN":
                held = ctx.mention_at(
                    offset + current.idx, offset + current.idx + len(current.text), ("person", "party")
                )
                if held is not None:
                    return [held]
            if current.head.i == current.i:
                break
            via, current = current, current.head
        return None
    return None


def _gapped_conjunct(frame, via) -> list:
    """'followed by Auyl with 10.9% and Respublica with 8.59%': a figure reached through a phrase that
    follows a name coordinated with the verb's own argument belongs to that name."""
    if via is None:
        return []
    names = [
        c for c in frame.trigger.children if c.dep_ == "conj" and c.pos_ in {"PROPN", "NOUN"} and c.i < via.i
    ]
    return names[-1:] if names else []


_PARTY_NOUNS = {"party", "bloc", "movement", "list", "coalition", "alliance", "faction"}


def _mentions_for(ctx: ArticleContext, offset: int, tokens: list, sentence: Sentence) -> list[Mention]:
    """The person or party mentions a frame's winner tokens stand for: a pronoun resolved to its person,
    a relative pronoun to its antecedent, a common noun to the name in its phrase ('the ruling party
    Ata Zhurt Kyrgyzstan')."""
    out: list[Mention] = []
    for tok in tokens:
        if tok.lower_ in RELATIVE_PRONOUNS:
            tok = antecedent(tok)
        start, end = offset + tok.idx, offset + tok.idx + len(tok.text)
        if tok.lower_ in {"he", "she"}:
            out += ctx.resolve_pronoun(sentence, start, plural=False)[:1]
            continue
        found = ctx.mention_at(start, end, ("person", "party"))
        if found is None and tok.pos_ == "NOUN":
            # 'the candidate from the Liberal Democratic Party, ... Shavkat Mirziyoyev': a candidate is a
            # person, a party is a party
            left, right = offset + tok.left_edge.idx, offset + tok.right_edge.idx + len(tok.right_edge.text)
            kinds = ("party", "person") if tok.lemma_.lower() in _PARTY_NOUNS else ("person", "party")
            inside = [m for kind in kinds for m in ctx.mentions_in(left, right, (kind,))]
            found = inside[0] if inside else None
        if found is not None:
            out.append(found)
    return out


def extract_results(
    ctx: ArticleContext, mentions: list[ElectionMention], clusters: list[ElectionCluster]
) -> list[ResultDraft]:
    if not clusters:
        return []
    ordered = sorted((m for m in mentions if m.cluster is not None), key=lambda m: m.start)
    results: list[ResultDraft] = []
    for sentence in ctx.sentences:
        found: list[tuple[int, int, str, float | int]] = []
        # 'He won the elections of 2007, 2012 and 2017, the last with 97.69 percent': a sentence that names
        # an election and a win puts its shares in vote context, however far the verb is from the number
        about_vote = any(sentence.start <= m.start < sentence.end for m in ordered) and bool(
            _VOTE_CONTEXT.search(sentence.text)
        )
        for m in _PCT.finditer(sentence.text):
            # once one share of the sentence is a result, the figures listed after it are too
            listed = any(kind == "share" for _, _, kind, _ in found)
            wide = about_vote or listed
            window = sentence.text[max(0, m.start() - 90) : m.end() + 40] if not wide else sentence.text
            if _BOUND_BEFORE.search(sentence.text[: m.start()]):
                continue  # 'none received more than 3.5%' is a bound, not anyone's result
            if _VOTE_CONTEXT.search(window) and not _NOT_SHARE.search(
                sentence.text[max(0, m.start() - 40) : m.end() + 15]
            ):
                found.append((m.start(), m.end(), "share", float(m["v"].replace(",", "."))))
        for m in _SEATS.finditer(sentence.text):
            n = _number(m["v"])
            if n is not None and not re.search(
                r"\b(?:remaining|other|total|all)\s+$", sentence.text[: m.start()], re.I
            ):
                found.append((m.start(), m.end(), "seats", n))
        found += _elliptic_seats(ctx, sentence, found)
        for m in _VOTES.finditer(sentence.text):
            n = _number(m["v"])
            if n is not None:
                found.append((m.start(), m.end(), "votes", n))
        if not found:
            continue
        cluster = _cluster_for(ctx, sentence, ordered, clusters, sentence.start + min(f[0] for f in found))
        if cluster is None:
            continue
        by_holder: dict[int, ResultDraft] = {}
        prefer = _HOLDER_TYPE.get(clusters[cluster].election_type)
        for start, end, kind, value in sorted(found):
            holders = _named_right_before(ctx, sentence, sentence.start + start)
            if holders is None:
                holders = _syntax_holders(ctx, sentence, sentence.start + start)
            if holders is None:
                holders = _holders(ctx, sentence, sentence.start + start, sentence.start + end, prefer)
            if not holders and kind == "share" and clusters[cluster].election_type == "referendum":
                approval = _approval_share(sentence, start, end, float(value))
                if approval is not None and not any(
                    r.cluster == cluster and r.party is None and r.actor is None for r in results
                ):
                    results.append(ResultDraft(cluster, sentence, vote_share_pct=approval))
                continue
            for holder in holders:
                draft = by_holder.get(holder.mention_no) or _row_of(results, cluster, holder, kind)
                if draft is None:
                    if _already_given(results, cluster, holder, kind, value):
                        continue  # the headline and the lede give the same result: one row
                    draft = ResultDraft(cluster, sentence)
                    if holder.entity_type == "party":
                        draft.party = holder
                    else:
                        draft.actor = holder
                    by_holder[holder.mention_no] = draft
                    results.append(draft)
                if kind == "share" and draft.vote_share_pct is None:
                    draft.vote_share_pct = float(value)
                elif kind == "seats" and draft.seats is None:
                    draft.seats = int(value)
                elif kind == "votes" and draft.vote_count is None:
                    draft.vote_count = int(value)
    return results


_ELLIPTIC_COUNT = re.compile(
    rf"\s+(?:(?:won|took|got|secured|received|gained|has|will receive|will get)\s+)?(?P<n>\d{{1,3}}|{NUMBER_WORD})\b"
    r"(?!\s*(?:%|per\s?cent|percent|seats|deputies|mandates|MPs|of\b|[.,]\d))",
    re.I,
)


def _elliptic_seats(
    ctx: ArticleContext, sentence: Sentence, found: list[tuple[int, int, str, float | int]]
) -> list[tuple[int, int, str, float | int]]:
    """'... will receive 15 seats, Ishenim 12, Yntymak nine', 'the Agrarian Party secured 7 seats, the Party
    of Economic Reforms won five': once a sentence counts seats, a bare number right after a party's
    name is that party's seats."""
    seat_figures = [f for f in found if f[2] == "seats"]
    if not seat_figures:
        return []
    first = sentence.start + min(f[0] for f in seat_figures)
    out: list[tuple[int, int, str, float | int]] = []
    taken = {f[0] for f in found}
    for party in ctx.mentions_in(first, sentence.end, ("party",)):
        m = _ELLIPTIC_COUNT.match(ctx.body, party.char_end)
        if not m or m.end() > sentence.end:
            continue
        n = parse_number(m["n"])
        start = m.start("n") - sentence.start
        if n is not None and start not in taken:
            out.append((start, m.end() - sentence.start, "seats", n))
    return out


def _row_of(results: list[ResultDraft], cluster: int, holder: Mention, kind: str) -> ResultDraft | None:
    """The row an earlier sentence gave this holder in this election that still lacks this kind of figure:
    'Ishenim ... 13.62% of the vote' then 'Ishenim 12 (seats)' is one result."""
    field_of = {"share": "vote_share_pct", "seats": "seats", "votes": "vote_count"}[kind]
    for r in results:
        other = r.party or r.actor
        if r.cluster == cluster and other is not None and other.name_key == holder.name_key:
            return r if getattr(r, field_of) is None else None
    return None


def _already_given(
    results: list[ResultDraft], cluster: int, holder: Mention, kind: str, value: float | int
) -> bool:
    """A figure an earlier sentence already gave this holder in this election."""
    for r in results:
        other = r.party or r.actor
        if r.cluster != cluster or other is None or other.name_key != holder.name_key:
            continue
        given = {"share": r.vote_share_pct, "seats": r.seats, "votes": r.vote_count}[kind]
        if given == value:
            return True
    return False


def _cluster_for(
    ctx: ArticleContext,
    sentence: Sentence,
    ordered: list[ElectionMention],
    clusters: list[ElectionCluster],
    first_figure: int,
) -> int | None:
    """The election a result sentence speaks of: seats a party 'has' now come from the last past election
    of that kind; otherwise the nearest election mentioned before the first figure ('won the presidential
    election with 87.1%, after a referendum ...'), else before (or in) the sentence."""
    if (
        _HOLDING.search(sentence.text)
        and not _VOTE_CONTEXT.search(sentence.text)
        and not STRONG_FUTURE.search(sentence.text)
    ):
        past = [i for i, c in enumerate(clusters) if c.past and c.election_type == "parliamentary"]
        if past:
            return max(past, key=lambda i: clusters[i].date_fields()[0] or 0)
    before_figure = [m for m in ordered if m.start < first_figure]
    if before_figure and before_figure[-1].start >= sentence.start:
        return before_figure[-1].cluster
    before = [m for m in ordered if m.start < sentence.end]
    if before:
        return before[-1].cluster
    return ordered[0].cluster if ordered else None
