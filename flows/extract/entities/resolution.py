"""Resolving one article's candidates: people clustered across spellings and matched to the
reference, bare surnames, parties and organisations, and people linked to their parties."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flows.extract.entities.candidates import Candidate, Context, Titles, strip_possessive
from flows.extract.entities.parties import CREDIT_RX, STATUS_PRIORITY, status_cue
from flows.extract.entities.vocabulary import CENTRAL_ASIA, NATIONAL_BODY_KINDS, ORG_HEADS
from flows.extract.names import fold, name_key, same_person, same_surname
from flows.extract.reference import Reference

_FUZZY_CACHE_SIZE = 50_000


class ArticleResolution:
    """The resolution half of `EntityExtractor` (its base class).

    Reads the extractor's `ref`, `titles`, `ref_surnames`, `ref_given_names`, `_fuzzy_cache`,
    `_body` (the article being extracted) and `_countries` (the countries it mentions).
    """

    ref: Reference
    titles: Titles
    ref_surnames: dict[str, list[str]]
    ref_given_names: dict[str, list[str]]
    _fuzzy_cache: dict[str, str | None]
    _body: str
    _countries: set[str | None]

    def _surface(self, cand: Candidate) -> str:
        return self._body[cand.start : cand.end] or cand.name

    # ------------------------------------------------------------ people

    def _resolve_people(self, persons: list[Candidate], ctx: Context) -> list[Candidate]:
        for cand in persons:
            cand.roles = list(dict.fromkeys(cand.roles + self.titles.roles_near(ctx, cand.start, cand.end)))
            country = self._demonym_before(ctx, cand.start)
            if country:
                cand.country_id = country
        full = [c for c in persons if len(c.name.split()) >= 2]
        clusters = _cluster(full)
        canonical: dict[int, tuple[str, str | None]] = {}
        for members in clusters:
            name, ref_id = self._cluster_identity(members)
            for c in members:
                canonical[id(c)] = (name, ref_id)
        kept: list[Candidate] = []
        for cand in persons:
            if id(cand) in canonical:
                cand.name, cand.ref_id = canonical[id(cand)]
                kept.append(cand)
                continue
            resolved = self._resolve_single(cand, clusters, canonical)
            if resolved:
                kept.append(resolved)
        for cand in kept:
            if cand.ref_id and not cand.country_id:
                cand.country_id = self.ref.people[cand.ref_id].country_id
        return kept

    def _repeated_surnames(
        self, persons: list[Candidate], chosen: list[Candidate], ctx: Context
    ) -> list[Candidate]:
        """Bare-surname mentions the model did not tag ('Zhakei did not say...'), spelling variants included."""
        taken = [(c.start, c.end) for c in chosen] + [(c.start, c.end) for c in persons]
        by_key: dict[str, dict[str, Candidate]] = defaultdict(dict)
        for cand in persons:
            surface = ctx.body[cand.start : cand.end].split()
            if len(surface) >= 2 and len(surface[-1]) >= 4:
                by_key[name_key(strip_possessive(surface[-1]))].setdefault(cand.name, cand)
        # a surname shared by two people in the article is resolved only where just one of them has
        # been named in full so far ('Aynabat Orazova ... Orazova, 38, was detained ... her mother,
        # Maral Orazova'); after both are introduced it stays unresolved
        first_named = {c.name: min(p.start for p in persons if p.name == c.name) for c in persons}
        keyed = {k: next(iter(v.values())) for k, v in by_key.items() if len(v) == 1}
        shared = {k: list(v.values()) for k, v in by_key.items() if len(v) > 1}
        extra: list[Candidate] = []
        for m in re.finditer(r"(?<![\w-])[A-Z][\w’'-]{3,}(?![\w-])", ctx.body):
            word = strip_possessive(m.group(0))
            key = name_key(word)
            person = keyed.get(key) or next(
                (p for k, p in keyed.items() if len(key) >= 6 and same_surname(key, k)), None
            )
            if person is None and key in shared:
                introduced = [p for p in shared[key] if first_named[p.name] < m.start()]
                person = introduced[0] if len(introduced) == 1 else None
            end = m.start() + len(word)
            if person is None or any(s < end and m.start() < e for s, e in taken):
                continue
            next_word = re.match(r"[ \t]+([A-Za-z][\w-]*)", ctx.body[end : end + 30])
            if (
                (next_word and fold(next_word.group(1)) in ORG_HEADS)
                or CREDIT_RX.search(ctx.body[ctx.body.rfind("\n", 0, m.start()) + 1 : m.start()])
                or ctx.is_headline(m.start())
                or ctx.in_furniture(m.start())
            ):
                continue
            extra.append(
                Candidate(
                    m.start(),
                    end,
                    "person",
                    "resolved",
                    person.name,
                    ref_id=person.ref_id,
                    country_id=person.country_id,
                )
            )
            taken.append((m.start(), end))
        return extra

    def _cluster_identity(self, members: list[Candidate]) -> tuple[str, str | None]:
        for cand in members:
            ref_id = self._ref_person_exact(cand.name)
            if ref_id:
                return self.ref.people[ref_id].name, ref_id
        for cand in members:
            ref_id = self._ref_person_fuzzy(cand.name)
            if ref_id:
                return self.ref.people[ref_id].name, ref_id
        counts = Counter(c.name for c in members)
        best = max(counts, key=lambda n: (counts[n], len(n), -min(c.start for c in members if c.name == n)))
        return best, None

    def _ref_person_exact(self, name: str) -> str | None:
        ids = self.ref.person_keys.get(name_key(name), [])
        return ids[0] if len(ids) == 1 else None

    def _ref_person_fuzzy(self, name: str) -> str | None:
        if name in self._fuzzy_cache:
            return self._fuzzy_cache[name]
        if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
            self._fuzzy_cache.clear()
        ref_id = self._fuzzy_cache[name] = self._scan_ref_person_fuzzy(name)
        return ref_id

    def _scan_ref_person_fuzzy(self, name: str) -> str | None:
        hits = [
            pid
            for pid, person in self.ref.people.items()
            if len(person.name.split()) >= 2 and same_person(name, person.name)
        ]
        hits += [
            pid
            for pid, aliases in self.ref.person_aliases.items()
            if pid not in hits and any(len(a.split()) >= 2 and same_person(name, a) for a in aliases)
        ]
        return hits[0] if len(hits) == 1 else None

    def _resolve_single(
        self, cand: Candidate, clusters: list[list[Candidate]], canonical: dict[int, tuple[str, str | None]]
    ) -> Candidate | None:
        """A surname-only mention: the article's full name with that surname, else the reference."""
        key = name_key(cand.name)
        matches = [
            members for members in clusters if same_surname(key, name_key(members[0].name).split()[-1])
        ]
        if len(matches) > 1:
            # 'Berdimuhamedow' next to 'Serdar Berdymukhammedov' and 'Gurbanguly Berdimuhamedow': the
            # one spelt exactly so
            spelt = fold(cand.name)
            exact = [
                m
                for m in matches
                if any(fold(strip_possessive(self._surface(c).split()[-1])) == spelt for c in m)
            ]
            matches = exact if len(exact) == 1 else matches
        if len(matches) > 1:
            # 'Akayev' with Askar and Aydar Akayev in the text: the reference figure, else the most named
            with_ref = [m for m in matches if canonical[id(m[0])][1]]
            matches = with_ref if len(with_ref) == 1 else sorted(matches, key=len, reverse=True)[:1]
        if matches:
            cand.name, cand.ref_id = canonical[id(matches[0][0])]
            cand.detector = "resolved" if cand.detector == "ner" else cand.detector
            return cand
        ids = self.ref.person_keys.get(key, [])
        if len(ids) != 1:
            ids = [pid for pid in self.ref_surnames.get(key, [])] or [
                pid
                for sur, pids in self.ref_surnames.items()
                for pid in pids
                if len(key) >= 6 and same_surname(key, sur)
            ]
        if len(ids) == 1 and self._plausible_reference(cand, ids[0]):
            cand.name, cand.ref_id = self.ref.people[ids[0]].name, ids[0]
            return cand
        # 'Serdar Berdimuhamedov and his father, Gurbanguly': a reference person's given name, with the
        # family name already in the article
        surnames = [name_key(m[0].name).split()[-1] for m in clusters]
        given = [
            pid
            for pid in self.ref_given_names.get(key, [])
            if any(same_surname(name_key(self.ref.people[pid].name).split()[-1], sur) for sur in surnames)
        ]
        if len(given) == 1:
            cand.name, cand.ref_id = self.ref.people[given[0]].name, given[0]
            return cand
        if cand.roles and " " not in cand.name and cand.name[0].isupper():
            return cand  # 'President Smith', 'activist Kim': a named person even without a first name
        return None

    def _plausible_reference(self, cand: Candidate, person_ref_id: str) -> bool:
        """A bare surname names a reference person only in a story about that person's country, and not
        when an initial says otherwise ('A. Sultanov' in Almaty is not Uzbekistan's Utkir Sultanov)."""
        person = self.ref.people[person_ref_id]
        initial = re.search(r"\b([A-Z])\.[ \t]*$", self._body[max(0, cand.start - 4) : cand.start])
        if initial and fold(person.name)[0] != fold(initial.group(1)):
            return False
        known = {c for c in self._countries if c}
        return not known or person.country_id in known

    def _demonym_before(self, ctx: Context, start: int) -> str | None:
        m = re.search(r"([A-Z][\w-]+)\s+(?:[\w-]+\s+){0,3}$", ctx.body[max(0, start - 60) : start])
        if m:
            country = self.ref.country_of(m.group(1))
            if country and country[1] == "demonym":
                return country[0]
        return None

    # ------------------------------------------------------------ parties

    def _resolve_parties(
        self,
        parties: list[Candidate],
        ctx: Context,
        main_country: str | None,
        article_countries: set[str | None],
        countries: list[Candidate],
    ) -> list[Candidate]:
        spans = [(c.start, c.end) for c in parties]
        for cand in parties:
            near = self._nearest_country(cand, ctx, countries)
            ref_id = self._ref_party(cand, near or main_country, article_countries)
            if ref_id:
                party = self.ref.parties[ref_id]
                cand.ref_id, cand.country_id = ref_id, party.country_id
                cand.party_kind = party.kind
            else:
                cand.country_id = self._nearest_country(cand, ctx, countries) or main_country
                cand.party_kind = cand.party_kind or "party"
            cand.party_status = status_cue(ctx, cand, spans)
        # one status per party in the article: what most cues say, the stronger cue on a tie
        by_party: dict[str, list[Candidate]] = defaultdict(list)
        for cand in parties:
            by_party[cand.ref_id or name_key(cand.name)].append(cand)
        for members in by_party.values():
            cues = Counter(c.party_status for c in members if c.party_status)
            if cues:
                status = max(cues, key=lambda s: (cues[s], STATUS_PRIORITY[s]))
            elif members[0].ref_id:
                status = self.ref.parties[members[0].ref_id].registration_status
            else:
                status = "unknown"
            names = Counter(c.name for c in members)
            name = (
                self.ref.parties[members[0].ref_id].name
                if members[0].ref_id
                else max(names, key=lambda n: (names[n], len(n)))
            )
            for c in members:
                c.party_status = status
                c.name = name
        return parties

    def _nearest_country(self, cand: Candidate, ctx: Context, countries: list[Candidate]) -> str | None:
        s_start, s_end = ctx.sentence_of(cand.start)
        near = [c for c in countries if s_start <= c.start < s_end and c.country_id in CENTRAL_ASIA]
        if not near:
            return None
        return min(near, key=lambda c: abs(c.start - cand.start)).country_id

    def _ref_party(
        self, cand: Candidate, main_country: str | None, article_countries: set[str | None]
    ) -> str | None:
        """The reference party a mention names, among parties of the countries the article is about."""
        keys = [name_key(strip_possessive(cand.name))]
        bare = re.sub(r"\s+(?:party|movement|Party|Movement)$", "", cand.name)
        keys.append(name_key(bare))
        local = {c for c in article_countries if c in CENTRAL_ASIA}
        # 'the People's Democratic Party' in a Tajik story: '... of Tajikistan'; the country named
        # nearest (else the article's main country) first, then the article's other countries
        for country_id in [main_country, *sorted(local - {main_country})]:
            country = self.ref.countries.get(country_id or "")
            if country:
                keys.append(name_key(f"{cand.name} of {country.name}"))
        keys += [name_key(a) for a in cand.aliases]
        for key in keys:
            ids = self.ref.party_keys.get(key, [])
            if local:
                # Kyrgyzstan's Yntymak is not a Kazakh party that happens to share its name
                ids = [i for i in ids if self.ref.parties[i].country_id in local]
            if len(ids) > 1 and main_country:
                ids = [i for i in ids if self.ref.parties[i].country_id == main_country] or ids
            if ids:
                return ids[0]
        return None

    # ------------------------------------------------------------ organisations

    def _resolve_org(
        self, cand: Candidate, main_country: str | None, article_countries: set[str | None]
    ) -> Candidate:
        ids = self.ref.organization_keys.get(name_key(cand.name), [])
        # a national body ('Supreme Court') belongs to a country the article is about, else it stays unlinked
        ids = [
            i
            for i in ids
            if self.ref.organizations[i].kind not in NATIONAL_BODY_KINDS
            or self.ref.organizations[i].country_id in article_countries
        ]
        if len(ids) > 1:
            local = [i for i in ids if self.ref.organizations[i].country_id == main_country]
            ids = local if len(local) == 1 else []
        if len(ids) == 1:
            org = self.ref.organizations[ids[0]]
            cand.ref_id, cand.name, cand.country_id = org.org_ref_id, org.name, org.country_id
        return cand

    # ------------------------------------------------------------ person-party ties

    def _link_people_to_parties(
        self, persons: list[Candidate], parties: list[Candidate], ctx: Context
    ) -> None:
        leader = r"(?:leader|chief|chairman|chairwoman|head|founder|co-founder|member|activist|supporter)"
        for person in persons:
            for party in parties:
                between_before = ctx.body[party.end : person.start]
                between_after = ctx.body[person.end : party.start]
                m_before = party.end <= person.start and re.fullmatch(
                    rf"[”\"’']?\s*(?:party\s+|movement\s+)?(?P<t>{leader})\s+", between_before, re.I
                )
                m_after = (
                    person.end <= party.start
                    and len(between_after) <= 90
                    and not re.search(r"[.!?]\s", between_after)
                    and re.search(
                        rf"(?P<t>{leader})\s+of\s+(?:the\s+)?(?:[\w-]+[;:,]?\s+){{0,3}}[“\"«]?$",
                        between_after,
                        re.I,
                    )
                )
                m = m_before or m_after
                if not m:
                    continue
                person.party_name_key = name_key(party.name)
                title = m.group("t").lower()
                if title in ("leader", "chief", "chairman", "chairwoman", "head", "founder", "co-founder"):
                    person.roles = [r for r in person.roles if r not in ("leader",)] + ["party_leader"]
                elif title in ("member", "activist", "supporter"):
                    person.roles.append("party_member" if title == "member" else title)
                person.roles = list(dict.fromkeys(person.roles))
                break


def _cluster(full: list[Candidate]) -> list[list[Candidate]]:
    """Group full-name mentions that are spellings of one person (union-find over same_person)."""
    parent = list(range(len(full)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(full)):
        for j in range(i + 1, len(full)):
            if find(i) != find(j) and same_person(full[i].name, full[j].name):
                parent[find(i)] = find(j)
    groups: dict[int, list[Candidate]] = defaultdict(list)
    for i, cand in enumerate(full):
        groups[find(i)].append(cand)
    return list(groups.values())
