"""The project's own evaluation: a published warehouse against a gold file of article facts.

Reads the contract tables of schema `marts` and a gold YAML in the shared format (articles with
file/title/countries/persons/parties/detentions/elections, `same_entity`, `forbidden`), plus an
optional `different_entity` list of name pairs that must not share an id. Names are compared with
the extractor's own transliteration keys (`flows.extract.names`), and matching is one-to-one: an
actor or party satisfies at most one gold entry, so two people merged into one actor (a wife and
her husband) cost a miss, and one person split into two actors in an article costs an extra.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from flows.extract.names import name_key, same_person

AREAS = (
    "articles",
    "persons",
    "parties",
    "party_status",
    "countries",
    "detentions",
    "elections",
    "identity",
    "distinct",
    "boilerplate",
)
# Areas whose F1 is averaged into the entity score (what the entity work is judged on).
ENTITY_AREAS = ("persons", "parties", "party_status", "countries", "identity", "distinct")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def empty(self) -> bool:
        return not (self.tp or self.fp or self.fn)


@dataclass
class Entity:
    """One actor or party linked to an article: its id, names (canonical first) and status."""

    entity_id: str
    names: list[str]
    status: str | None = None


# ---------------------------------------------------------------- name comparison


def _keys(names: Iterable[str]) -> set[str]:
    return {k for k in (name_key(n) for n in names if n) if k}


def person_matches(gold: str, names: list[str]) -> bool:
    """A gold person is one of these names: same key, or a guarded transliteration variant.

    A lone surname among the names ('Asanbekova') matches a gold full name with that surname;
    a full name must agree on the given name too (Ulan Sydykov is not Taalai Sydykov).
    """
    key = name_key(gold)
    return any(name_key(n) == key or same_person(gold, n) for n in names if n)


def org_matches(gold_names: list[str], names: list[str]) -> bool:
    """Party names agree: equal keys, or one key is a whole-word part of the other covering half of it."""
    gold_keys, keys = _keys(gold_names), _keys(names)
    if gold_keys & keys:
        return True
    for g in gold_keys:
        for k in keys:
            short, long_ = sorted((g, k), key=len)
            if len(short) >= 5 and f" {short} " in f" {long_} " and len(short) / len(long_) >= 0.5:
                return True
    return False


def _assign(
    gold_items: list, entities: list[Entity], matches: Callable[[object, Entity], bool]
) -> dict[int, Entity]:
    """One-to-one assignment, gold items with the fewest candidates first (greedy, stable)."""
    options = {i: [e for e in entities if matches(g, e)] for i, g in enumerate(gold_items)}
    taken: set[str] = set()
    out: dict[int, Entity] = {}
    for i in sorted(options, key=lambda i: (len(options[i]), i)):
        for entity in options[i]:
            if entity.entity_id not in taken:
                taken.add(entity.entity_id)
                out[i] = entity
                break
    return out


# ---------------------------------------------------------------- warehouse


class Warehouse:
    """Read-only access to the published marts; a missing table reads as empty and is noted."""

    def __init__(self, path: str | Path):
        self.con = duckdb.connect(str(path), read_only=True)
        self.unreadable: list[str] = []

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        try:
            return self.con.execute(sql, params or []).fetchall()
        except duckdb.Error as error:
            note = str(error).splitlines()[0]
            if note not in self.unreadable:
                self.unreadable.append(note)
            return []

    def article_ids(self, gold: dict) -> list[str]:
        rows = self.rows(
            "SELECT article_id, coalesce(title, '') FROM marts.dim_article WHERE source_uri LIKE ?",
            [f"%{gold['file']}"],
        )
        title = (gold.get("title") or "").lower()
        if title:
            hits = [a for a, t in rows if title in t.lower()]
            if hits:
                return hits
        return [a for a, _ in rows]

    def persons(self, article_ids: list[str]) -> list[Entity]:
        rows = self.rows(
            """SELECT a.actor_id, a.name, a.aliases, list(DISTINCT m.surface_text)
               FROM marts.fct_mention m JOIN marts.dim_actor a
                 ON m.entity_type = 'actor' AND m.entity_id = a.actor_id
               WHERE m.article_id IN (SELECT unnest(?)) AND a.actor_type = 'person'
               GROUP BY ALL ORDER BY a.actor_id""",
            [article_ids],
        )
        return [Entity(r[0], [r[1], *(r[3] or []), *(r[2] or [])]) for r in rows]

    def parties(self, article_ids: list[str]) -> list[Entity]:
        rows = self.rows(
            """SELECT p.party_id, p.name, p.aliases, p.registration_status, list(DISTINCT m.surface_text)
               FROM marts.fct_mention m JOIN marts.dim_party p
                 ON m.entity_type = 'party' AND m.entity_id = p.party_id
               WHERE m.article_id IN (SELECT unnest(?))
               GROUP BY ALL ORDER BY p.party_id""",
            [article_ids],
        )
        return [Entity(r[0], [r[1], *(r[4] or []), *(r[2] or [])], r[3]) for r in rows]

    def countries(self, article_ids: list[str]) -> set[str]:
        rows = self.rows(
            """SELECT DISTINCT entity_id FROM marts.fct_mention
               WHERE entity_type = 'country' AND article_id IN (SELECT unnest(?))""",
            [article_ids],
        )
        return {r[0] for r in rows}

    def detentions(self, article_ids: list[str]) -> list[dict]:
        rows = self.rows(
            """SELECT d.detention_id, a.name, a.aliases, d.detainee_count, d.detained_date, d.outcome, d.term_days
               FROM marts.fct_detention d LEFT JOIN marts.dim_actor a ON d.actor_id = a.actor_id
               WHERE d.article_id IN (SELECT unnest(?)) ORDER BY d.detention_id""",
            [article_ids],
        )
        return [
            dict(
                id=r[0],
                names=[n for n in [r[1], *(r[2] or [])] if n],
                count=r[3],
                date=r[4],
                outcome=r[5],
                term_days=r[6],
            )
            for r in rows
        ]

    def elections(self, article_ids: list[str]) -> list[dict]:
        rows = self.rows(
            """SELECT DISTINCT e.election_id, e.country_id, e.election_type, e.election_date
               FROM marts.bridge_election_article b JOIN marts.fct_election e USING (election_id)
               WHERE b.article_id IN (SELECT unnest(?)) ORDER BY e.election_id""",
            [article_ids],
        )
        return [dict(id=r[0], country=r[1], type=r[2], date=r[3]) for r in rows]

    def all_entities(self) -> list[tuple[str, str, list[str]]]:
        """(kind, id, names) of every actor and party; names are the canonical name and aliases."""
        actors = self.rows("SELECT actor_type, actor_id, name, aliases FROM marts.dim_actor")
        parties = self.rows("SELECT 'party', party_id, name, aliases FROM marts.dim_party")
        return [(r[0], r[1], [r[2], *(r[3] or [])]) for r in actors + parties]

    def titles(self) -> list[str]:
        return [r[0] or "" for r in self.rows("SELECT title FROM marts.dim_article")]


# ---------------------------------------------------------------- identity look-ups


def ids_for_name(name: str, entities: list[tuple[str, str, list[str]]]) -> set[str]:
    """Ids of the actors or parties that carry this name.

    A single word ('Toqaev', 'DVK') must equal a name's key; a person's full name also finds the
    actors with a full-name alias that is a guarded variant of it (Zhaparov / Japarov).
    """
    key = name_key(name)
    multi = len(key.split()) > 1
    out: set[str] = set()
    for kind, entity_id, names in entities:
        variant = (
            multi
            and kind == "person"
            and any(len(n.split()) > 1 and same_person(name, n) for n in names if n)
        )
        if key in _keys(names) or variant:
            out.add(entity_id)
    return out


# ---------------------------------------------------------------- scoring


def _date_ok(gold: object, got: object) -> bool:
    return gold is None or (got is not None and str(got)[:10].startswith(str(gold)))


def _score_people(t: Tally, gid: str, gold: dict, found: list[Entity]) -> None:
    required = list(gold.get("required") or [])
    optional = list(gold.get("optional") or [])
    assigned = _assign(required, found, lambda g, e: person_matches(g, e.names))
    for i, person in enumerate(required):
        if i in assigned:
            t.tp += 1
        else:
            t.fn += 1
            t.notes.append(f"{gid}: missed person {person}")
    used = {e.entity_id for e in assigned.values()}
    for entity in found:
        if entity.entity_id in used or any(person_matches(o, entity.names) for o in optional):
            continue
        t.fp += 1
        split = next((p for p in required if person_matches(p, entity.names)), None)
        why = f" (a second actor for {split})" if split else ""
        t.notes.append(f"{gid}: extra person {entity.names[0]!r}{why}")


def _score_parties(t: Tally, status: Tally, gid: str, gold: dict, found: list[Entity]) -> None:
    required = list(gold.get("required") or [])
    optional = [[o["name"], *o.get("aliases", [])] for o in gold.get("optional") or []]
    names = [[p["name"], *p.get("aliases", [])] for p in required]
    assigned = _assign(names, found, lambda g, e: org_matches(g, e.names))
    for i, party in enumerate(required):
        entity = assigned.get(i)
        if entity is None:
            t.fn += 1
            t.notes.append(f"{gid}: missed party {party['name']}")
            continue
        t.tp += 1
        if entity.status == party["status"]:
            status.tp += 1
        else:
            status.fn += 1
            status.notes.append(f"{gid}: {party['name']} status {entity.status!r}, gold {party['status']!r}")
    used = {e.entity_id for e in assigned.values()}
    for entity in found:
        if entity.entity_id in used or any(org_matches(o, entity.names) for o in optional):
            continue
        t.fp += 1
        t.notes.append(f"{gid}: extra party {entity.names[0]!r}")


def _score_countries(t: Tally, gid: str, gold: dict, found: set[str]) -> None:
    required, optional = set(gold.get("required") or []), set(gold.get("optional") or [])
    t.tp += len(required & found)
    t.fn += len(required - found)
    t.fp += len(found - required - optional)
    t.notes += [f"{gid}: missed country {c}" for c in sorted(required - found)]
    t.notes += [f"{gid}: extra country {c}" for c in sorted(found - required - optional)]


def _score_detentions(t: Tally, gid: str, gold: list[dict], found: list[dict]) -> None:
    used: set[str] = set()
    for d in gold:
        hit = next(
            (
                row
                for row in found
                if row["id"] not in used
                and (
                    (d.get("person") and row["names"] and person_matches(d["person"], row["names"]))
                    or (not d.get("person") and not row["names"])
                )
            ),
            None,
        )
        if hit:
            used.add(hit["id"])
        if d.get("optional"):
            continue
        label = d.get("person") or f"group of {d.get('count')}"
        if hit is None:
            t.fn += 1
            t.notes.append(f"{gid}: missed detention {label}")
        elif hit["outcome"] != d.get("outcome", hit["outcome"]) or not _date_ok(d.get("date"), hit["date"]):
            t.fn += 1  # found, but the facts about it are wrong
            t.notes.append(f"{gid}: detention {label}: outcome {hit['outcome']}, date {hit['date']}")
        else:
            t.tp += 1
    for row in found:
        if row["id"] not in used:
            t.fp += 1
            t.notes.append(f"{gid}: extra detention {(row['names'] or [row['count']])[0]}")


def _score_elections(t: Tally, gid: str, gold: list[dict], found: list[dict]) -> None:
    used: set[str] = set()
    for e in gold:
        hit = next(
            (
                row
                for row in found
                if row["id"] not in used
                and row["country"] == e["country"]
                and row["type"] == e["type"]
                and _date_ok(e.get("date"), row["date"])
            ),
            None,
        )
        if hit is None:
            t.fn += 1
            t.notes.append(f"{gid}: missed election {e['country']} {e['type']} {e.get('date')}")
            continue
        used.add(hit["id"])
        t.tp += 1
    for row in found:
        if row["id"] not in used:
            t.fp += 1
            t.notes.append(f"{gid}: extra election {row['country']} {row['type']} {row['date']}")


def _score_identity(tallies: dict[str, Tally], gold: dict, entities: list) -> None:
    identity, distinct = tallies["identity"], tallies["distinct"]
    for group in gold.get("same_entity") or []:
        ids = set().union(*(ids_for_name(n, entities) for n in group))
        if len(ids) == 1:
            identity.tp += 1
        else:
            identity.fn += 1
            identity.notes.append(f"{group[0]}: {len(ids)} ids")
    for a, b in gold.get("different_entity") or []:
        shared = ids_for_name(a, entities) & ids_for_name(b, entities)
        if shared:
            distinct.fp += 1
            distinct.notes.append(f"{a} and {b} share an id")
        else:
            distinct.tp += 1


def _score_boilerplate(t: Tally, gold: dict, entities: list, titles: list[str]) -> None:
    forbidden = gold.get("forbidden") or {}
    for person in forbidden.get("persons") or []:
        surname = name_key(person).split()[-1]
        if ids_for_name(person, entities) or any(
            kind == "person" and surname in _keys(names) for kind, _, names in entities
        ):
            t.fp += 1
            t.notes.append(f"boilerplate person became an actor: {person}")
        else:
            t.tp += 1
    for title in forbidden.get("article_titles") or []:
        if any(title.lower() in x.lower() for x in titles):
            t.fp += 1
            t.notes.append(f"boilerplate became an article: {title}")
        else:
            t.tp += 1


def evaluate(warehouse: str | Path, gold: dict) -> tuple[dict[str, Tally], list[str]]:
    """Tallies per area, and the warehouse tables that could not be read."""
    wh = Warehouse(warehouse)
    t = {area: Tally() for area in AREAS}
    for article in gold.get("articles") or []:
        gid = article["id"]
        aids = wh.article_ids(article)
        if len(aids) == 1:
            t["articles"].tp += 1
        else:
            t["articles"].fn += 1
            t["articles"].notes.append(f"{gid}: {len(aids)} article rows")
        _score_people(t["persons"], gid, article.get("persons") or {}, wh.persons(aids))
        _score_parties(t["parties"], t["party_status"], gid, article.get("parties") or {}, wh.parties(aids))
        _score_countries(t["countries"], gid, article.get("countries") or {}, wh.countries(aids))
        _score_detentions(t["detentions"], gid, article.get("detentions") or [], wh.detentions(aids))
        _score_elections(t["elections"], gid, article.get("elections") or [], wh.elections(aids))
    entities = wh.all_entities()
    _score_identity(t, gold, entities)
    _score_boilerplate(t["boilerplate"], gold, entities, wh.titles())
    return t, wh.unreadable


def entity_score(tallies: dict[str, Tally]) -> float:
    """Mean F1 of the entity areas that the gold exercises."""
    scored = [tallies[a].f1 for a in ENTITY_AREAS if not tallies[a].empty]
    return sum(scored) / len(scored) if scored else 0.0


def report(tallies: dict[str, Tally], unreadable: list[str], verbose: bool = False) -> str:
    lines = [f"{'area':<14} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for area, t in tallies.items():
        lines.append(f"{area:<14} {t.precision:6.2f} {t.recall:6.2f} {t.f1:6.2f} {t.tp:4d}{t.fp:4d}{t.fn:4d}")
    lines.append(f"entity score (mean F1 of {', '.join(ENTITY_AREAS)}): {entity_score(tallies):.3f}")
    lines += [f"unreadable: {u}" for u in unreadable]
    if verbose:
        lines += [f"  [{area}] {note}" for area, t in tallies.items() for note in t.notes]
    return "\n".join(lines)


def run(
    warehouse: str | Path, gold_path: str | Path, verbose: bool = False, json_out: str | None = None
) -> int:
    """Evaluate, print the table; 0 when the warehouse could be read, 1 otherwise."""
    with open(gold_path, encoding="utf-8") as f:
        gold = yaml.safe_load(f)
    tallies, unreadable = evaluate(warehouse, gold)
    print(report(tallies, unreadable, verbose))
    if json_out:
        figures = {
            a: dict(p=t.precision, r=t.recall, f1=t.f1, tp=t.tp, fp=t.fp, fn=t.fn, notes=t.notes)
            for a, t in tallies.items()
        }
        figures["entity_score"] = entity_score(tallies)  # type: ignore[assignment]
        Path(json_out).write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 1 if unreadable else 0
