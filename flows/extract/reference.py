"""The reference data (dbt seeds under `dbt_project/seeds/`) as Python objects.

Python and dbt read the same CSV files, so the EntityRuler, the resolver and the warehouse
dimensions agree on ids and names. `seeds_fingerprint` hashes the files' contents: it is part
of EXTRACTOR_VERSION, so editing reference data re-extracts every article.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flows.extract.names import fold, name_key
from flows.paths import SEEDS_DIR

_CYRILLIC_RX = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class Country:
    country_id: str
    iso3: str
    name: str
    region: str


@dataclass(frozen=True)
class Party:
    party_ref_id: str
    name: str
    country_id: str
    kind: str
    registration_status: str
    founded_year: int | None
    dissolved_year: int | None


@dataclass(frozen=True)
class Person:
    person_ref_id: str
    name: str
    country_id: str


@dataclass(frozen=True)
class Organization:
    org_ref_id: str
    name: str
    country_id: str | None
    kind: str


@dataclass
class Reference:
    countries: dict[str, Country]
    # folded alias -> (country_id, alias_kind)
    country_aliases: dict[str, tuple[str, str]]
    # (surface alias as written, country_id, alias_kind), country names included
    country_surfaces: list[tuple[str, str, str]]
    parties: dict[str, Party]
    party_aliases: dict[str, list[str]]  # party_ref_id -> surface aliases (name included)
    people: dict[str, Person]
    person_aliases: dict[str, list[str]]
    offices: dict[str, list[str]]  # person_ref_id -> office codes
    organizations: dict[str, Organization]
    organization_aliases: dict[str, list[str]]
    titles: dict[str, str]  # lower-case phrase -> role
    # name_key -> ref ids, for transliteration-tolerant lookups
    party_keys: dict[str, list[str]] = field(default_factory=dict)
    person_keys: dict[str, list[str]] = field(default_factory=dict)
    organization_keys: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.party_keys = _key_index(self.party_aliases)
        self.person_keys = _key_index(self.person_aliases)
        self.organization_keys = _key_index(self.organization_aliases)

    def country_of(self, surface: str) -> tuple[str, str] | None:
        """(country_id, alias_kind) for a country name, demonym, capital or city."""
        return self.country_aliases.get(fold(surface).strip())


def _key_index(aliases: dict[str, list[str]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for ref_id, names in aliases.items():
        for alias in names:
            key = name_key(alias)
            if key and ref_id not in index[key]:
                index[key].append(ref_id)
    return dict(index)


def _rows(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with open(seeds_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _int(value: str) -> int | None:
    return int(value) if value else None


def _grouped(
    rows: list[dict[str, str]], key: str, value: str, seed: dict[str, list[str]]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {k: list(v) for k, v in seed.items()}
    for row in rows:
        names = out.setdefault(row[key], [])
        if row[value] and row[value] not in names:
            names.append(row[value])
    return out


@lru_cache(maxsize=4)
def load_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    """Read every reference seed once per process."""
    seeds_dir = Path(seeds_dir)
    countries = {
        r["country_id"]: Country(r["country_id"], r["iso3"], r["name"], r["region"])
        for r in _rows(seeds_dir, "ref_countries")
    }
    country_surfaces = [(c.name, c.country_id, "name") for c in countries.values()]
    country_surfaces += [
        (r["alias"], r["country_id"], r["alias_kind"]) for r in _rows(seeds_dir, "ref_country_aliases")
    ]
    country_aliases: dict[str, tuple[str, str]] = {}
    for alias, country_id, kind in country_surfaces:
        # Cyrillic aliases serve the Russian gazetteer; folded to Latin here they would make
        # English words country names ('RT' -> 'РТ', Tajikistan).
        if not _CYRILLIC_RX.search(alias):
            country_aliases.setdefault(fold(alias), (country_id, kind))

    parties = {
        r["party_ref_id"]: Party(
            r["party_ref_id"],
            r["name"],
            r["country_id"],
            r["kind"],
            r["registration_status"] or "unknown",
            _int(r["founded_year"]),
            _int(r["dissolved_year"]),
        )
        for r in _rows(seeds_dir, "ref_parties")
    }
    people = {
        r["person_ref_id"]: Person(r["person_ref_id"], r["name"], r["country_id"])
        for r in _rows(seeds_dir, "ref_people")
    }
    organizations = {
        r["org_ref_id"]: Organization(r["org_ref_id"], r["name"], r["country_id"] or None, r["kind"])
        for r in _rows(seeds_dir, "ref_organizations")
    }
    offices: dict[str, list[str]] = defaultdict(list)
    for r in _rows(seeds_dir, "ref_offices"):
        if r["office"] not in offices[r["person_ref_id"]]:
            offices[r["person_ref_id"]].append(r["office"])
    return Reference(
        countries=countries,
        country_aliases=country_aliases,
        country_surfaces=country_surfaces,
        parties=parties,
        party_aliases=_grouped(
            _rows(seeds_dir, "ref_party_aliases"),
            "party_ref_id",
            "alias",
            {k: [p.name] for k, p in parties.items()},
        ),
        people=people,
        person_aliases=_grouped(
            _rows(seeds_dir, "ref_person_aliases"),
            "person_ref_id",
            "alias",
            {k: [p.name] for k, p in people.items()},
        ),
        offices=dict(offices),
        organizations=organizations,
        organization_aliases=_grouped(
            _rows(seeds_dir, "ref_organization_aliases"),
            "org_ref_id",
            "alias",
            {k: [o.name] for k, o in organizations.items()},
        ),
        titles={r["phrase"].lower(): r["role"] for r in _rows(seeds_dir, "ref_titles")},
    )


def seeds_fingerprint(seeds_dir: Path = SEEDS_DIR) -> str:
    """Short sha256 over the seed files' names and contents."""
    digest = hashlib.sha256()
    for path in sorted(Path(seeds_dir).glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
