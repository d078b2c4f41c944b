"""`steppewatch bench`: the full pipeline against bare spaCy on a synthetic corpus.

The corpus is made offline and deterministically from the sample corpus: its articles are
landed in memory with the project's own landing code, cut into sentences, and the people,
places and dates spaCy finds in them become slots. A synthetic article is a headline and
paragraphs of such sentences, drawn until it reaches the length of a sample article (with
some jitter), its slots filled with a per-article cast of names, places and dates. Article
`i` depends only on (seed, i), so the 1% added for the incremental run are new articles
and the first N are the same whatever N is.

Measured, in one process:
  * the start of Prefect's API server (`prefect_startup_s`), by a trivial flow, before any timed
    run: a scheduled deployment (`steppewatch serve`) keeps its server up, so a run does not
    pay this, and the reference does not pay spaCy's model load either;
  * the reference: the same bodies, cut into the same paragraphs, through bare `nlp.pipe`
    with the pipeline's own model and components, batch size and n_process;
  * the first run (land, extract, dbt, gates, publish) into a fresh home, with the peak RSS
    of the whole process tree sampled every 0.2 s;
  * a rerun on the same inbox (the no-op), then a run with 1% new articles, then a run with a
    fixed number of new articles (20 by default) whatever N is: an incremental build's cost
    should follow the news, not the size of the warehouse.
With `reference=False` the bare-spaCy reference is skipped (its figures are 0): the
incremental figures do not need it, and at large N it costs as much as the first run.

With `russian_share` > 0, that share of the articles is Russian, made the same way from the
real Russian articles in `corpus/ru/` (natasha's NER finds the slots), and the reference adds
natasha's bare pipeline (segmenter, morphology, syntax, NER) over the Russian bodies.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flows.paths import SAMPLE_CORPUS

SEED = 20240601


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SLOT = re.compile(r"\{(PERSON|GPE|DATE_MD|DATE_MDY|DATE_Y)\}")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘A-Z])")
_MONTHS = _words("January February March April May June July August September October November December")
_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_DATE_FORMS = (
    ("DATE_MDY", re.compile(rf"^{_MONTH} \d{{1,2}}, (?:19|20)\d\d$")),
    ("DATE_MD", re.compile(rf"^{_MONTH} \d{{1,2}}$")),
    ("DATE_Y", re.compile(r"^(?:in )?(?:19|20)\d\d$")),
)
MIN_SENTENCE_WORDS = 6

# General knowledge of the region, used only to vary the synthetic text.
FIRST_NAMES = _words(
    "Aidos Askar Azamat Bakyt Bolat Daniyar Dilshod Erlan Farrukh Gulnara Ilyas Jamshid Kairat Kanat "
    "Karlygash Madina Marat Mukhtar Nurlan Rustam Sanjar Saule Serik Shavkat Timur Ulugbek Zarina Zhanna "
    "Aigerim Almaz Bekzat Dinara Eldor Feruza Gulbahor Khurshid Nodira Ravshan Temirlan Yerlan"
)
SURNAMES = _words(
    "Abdullaev Akhmetov Alimov Baimukhanov Bekov Dzhaksybekov Ermekov Ibraimov Ismailov Jumabaev "
    "Karimov Kasymov Kenzhebaev Mamytov Nazarov Nurmagambetov Omarov Rakhimov Sadykov Saparov Suleimenov "
    "Tashkentov Toktogulov Umarov Yusupov Zhakupov Abenov Sarsenbayev Tokayev Sultanbekov"
)
PLACES = _words(
    "Almaty Astana Shymkent Karaganda Aktobe Atyrau Zhanaozen Pavlodar Semey Taraz Oral Kostanay "
    "Bishkek Osh Jalal-Abad Karakol Naryn Talas Tashkent Samarkand Bukhara Andijan Namangan Nukus Termez "
    "Dushanbe Khujand Kulob Khorog Ashgabat Turkmenabat Mary Kazakhstan Kyrgyzstan Uzbekistan Tajikistan "
    "Turkmenistan Russia China Moscow Beijing"
)
FIRST_NAMES_RU = _words(
    "Айдос Аскар Азамат Бакыт Болат Данияр Дильшод Ерлан Фаррух Гульнара Ильяс Жамшид Кайрат Канат "
    "Мадина Марат Мухтар Нурлан Рустам Санжар Сауле Серик Тимур Улугбек Зарина Жанна Айгерим Алмаз"
)
SURNAMES_RU = _words(
    "Абдуллаев Ахметов Алимов Баймуханов Беков Ермеков Ибраимов Исмаилов Жумабаев Каримов Касымов "
    "Кенжебаев Мамытов Назаров Омаров Рахимов Садыков Сапаров Сулейменов Умаров Юсупов Жакупов Абенов"
)
PLACES_RU = _words(
    "Алматы Астана Шымкент Караганда Актобе Атырау Жанаозен Павлодар Семей Тараз Бишкек Ош Каракол "
    "Ташкент Самарканд Бухара Андижан Наманган Нукус Душанбе Худжанд Ашхабад Казахстан Кыргызстан "
    "Узбекистан Таджикистан Туркменистан"
)
RUSSIAN_SAMPLES = SAMPLE_CORPUS.parent / "ru"
DATELINES = ("ALMATY", "ASTANA", "BISHKEK", "TASHKENT", "DUSHANBE", "ASHGABAT", "OSH", "SHYMKENT")


@dataclass
class SampleShape:
    """What synthetic articles are made of: sentence templates and the sample article lengths."""

    templates: list[str]
    headlines: list[str]
    article_words: list[int]


@dataclass
class BenchResult:
    articles: int
    russian_articles: int
    words: int
    n_process: int
    batch_size: int
    prefect_startup_s: float
    first_run_s: float
    e2e_words_per_s: float
    reference_s: float
    reference_words_per_s: float
    ratio: float
    # the first pass alone (NER, sentences, ruler), as a floor for what parsing costs
    ner_only_words_per_s: float
    ratio_to_ner_only: float
    # CPU seconds (this process + finished children): a comparison that a busy machine skews less
    reference_cpu_s: float
    first_run_cpu_s: float
    cpu_ratio: float
    stage_s: dict[str, float]
    peak_rss_mb: float
    noop_rerun_s: float
    noop_stage_s: dict[str, float]
    noop_message: str
    incremental_articles: int
    incremental_s: float
    incremental_stage_s: dict[str, float]
    incremental_message: str
    # a second incremental run of a fixed number of new articles, the same at every N: its cost
    # should not grow with the warehouse
    fixed_incremental_articles: int
    fixed_incremental_s: float
    fixed_incremental_stage_s: dict[str, float]
    s_per_article: float
    targets: dict[str, bool] = field(default_factory=dict)


# ---------------------------------------------------------------------------- the corpus


def sample_bodies(samples_dir: Path = SAMPLE_CORPUS) -> list[tuple[str | None, str]]:
    """(title, body) of every article of the sample corpus, exactly as landing would cut them."""
    from flows.landing.formats import Record, read_records, sha256_hex
    from flows.landing.segment import cut_articles

    out: list[tuple[str | None, str]] = []
    for path in sorted(p for p in samples_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        for record in read_records(path.name, data, sha256_hex(data)):
            if isinstance(record, Record):
                out.extend((draft.title, draft.body) for draft in cut_articles(record.text, record.hints))
    return out


def _slot_for(label: str, text: str) -> str | None:
    if label == "PERSON" and len(text.split()) <= 3:
        return "{PERSON}"
    if label == "GPE":
        return "{GPE}"
    if label == "DATE":
        for slot, form in _DATE_FORMS:
            if form.match(text):
                return "{" + slot + "}"
    return None


def sample_shape(samples_dir: Path = SAMPLE_CORPUS) -> SampleShape:
    """Sentence templates from the samples: the people, places and dates spaCy finds become slots."""
    from flows.extract.nlp import first_pass, segments

    articles = sample_bodies(samples_dir)
    sentences: list[str] = []
    for _, body in articles:
        for start, end in segments(body):
            sentences.extend(s.strip() for s in _SENTENCE_SPLIT.split(body[start:end]))
    sentences = [s for s in sentences if len(s.split()) >= MIN_SENTENCE_WORDS and "{" not in s]
    templates = []
    for doc in first_pass(sentences, batch_size=64):
        text = doc.text
        for ent in sorted(doc.ents, key=lambda e: e.start_char, reverse=True):
            slot = _slot_for(ent.label_, ent.text)
            if slot:
                text = text[: ent.start_char] + slot + text[ent.end_char :]
        templates.append(text)
    headlines = [t for t, _ in articles if t] or ["News from Central Asia"]
    return SampleShape(
        templates=templates,
        headlines=headlines,
        article_words=[len(body.split()) for _, body in articles],
    )


def russian_shape(samples_dir: Path = RUSSIAN_SAMPLES) -> SampleShape:
    """Sentence templates from the real Russian articles: natasha's people and places become slots."""
    from flows.extract.russian.nlp import analyse

    templates: list[str] = []
    headlines: list[str] = []
    lengths: list[int] = []
    for path in sorted(samples_dir.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        lengths.append(len(body.split()))
        analysis = analyse(body)
        for sentence in analysis.sentences:
            text = sentence.text
            if len(text.split()) < MIN_SENTENCE_WORDS or "{" in text:
                continue
            spans = [s for s in analysis.spans if sentence.start <= s.start and s.end <= sentence.end]
            for span in sorted(spans, key=lambda s: s.start, reverse=True):
                slot = {"PER": "{PERSON}", "LOC": "{GPE}"}.get(span.type)
                if slot:
                    a, b = span.start - sentence.start, span.end - sentence.start
                    text = text[:a] + slot + text[b:]
            templates.append(" ".join(text.split()))
        headlines.append(body.strip().splitlines()[0][:120])
    return SampleShape(templates=templates, headlines=headlines, article_words=lengths)


def synthetic_russian_article(shape: SampleShape, index: int, seed: int = SEED) -> str:
    """A Russian synthetic article: paragraphs of real sentences with a new cast of names and places."""
    rng = random.Random(f"{seed}:ru:{index}")
    target = max(80, int(rng.choice(shape.article_words) * rng.uniform(0.8, 1.2)))
    people = [f"{rng.choice(FIRST_NAMES_RU)} {rng.choice(SURNAMES_RU)}" for _ in range(rng.randint(2, 6))]
    places = rng.sample(PLACES_RU, rng.randint(2, 5))
    paragraphs: list[str] = []
    words = 0
    while words < target:
        sentences = [
            _fill(rng.choice(shape.templates), rng, people, places, 2020) for _ in range(rng.randint(1, 4))
        ]
        paragraphs.append(" ".join(sentences))
        words += len(paragraphs[-1].split())
    return rng.choice(shape.headlines) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def is_russian(index: int, share: float, seed: int = SEED) -> bool:
    """Whether article `index` is Russian: depends only on (seed, index, share)."""
    return share > 0 and random.Random(f"{seed}:lang:{index}").random() < share


def _cast(rng: random.Random) -> tuple[list[str], list[str]]:
    people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(rng.randint(2, 6))]
    places = rng.sample(PLACES, rng.randint(2, 5))
    return people, places


def _fill(template: str, rng: random.Random, people: list[str], places: list[str], year: int) -> str:
    def value(match: re.Match[str]) -> str:
        slot = match.group(1)
        if slot == "PERSON":
            person = rng.choice(people)
            return person if rng.random() < 0.6 else person.split()[-1]
        if slot == "GPE":
            return rng.choice(places)
        month, day = rng.choice(_MONTHS), rng.randint(1, 28)
        if slot == "DATE_MD":
            return f"{month} {day}"
        if slot == "DATE_MDY":
            return f"{month} {day}, {year}"
        return str(year - rng.randint(0, 5))

    return SLOT.sub(value, template)


def synthetic_article(shape: SampleShape, index: int, seed: int = SEED) -> str:
    """The text of synthetic article `index`: a headline, a dateline and paragraphs."""
    rng = random.Random(f"{seed}:{index}")
    target = max(80, int(rng.choice(shape.article_words) * rng.uniform(0.8, 1.2)))
    people, places = _cast(rng)
    year = rng.randint(2005, 2024)
    headline = _fill(rng.choice(shape.headlines), rng, people, places, year)
    dateline = f"{rng.choice(DATELINES)} — "
    paragraphs: list[str] = []
    words = 0
    while words < target:
        sentences = [
            _fill(rng.choice(shape.templates), rng, people, places, year) for _ in range(rng.randint(1, 4))
        ]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs[0] = dateline + paragraphs[0]
    return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(
    inbox: Path,
    shape: SampleShape,
    first: int,
    count: int,
    seed: int = SEED,
    russian: SampleShape | None = None,
    russian_share: float = 0.0,
) -> list[Path]:
    """Articles first .. first+count-1 as `bench_NNNNNNN.txt` files in `inbox`."""
    inbox.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(first, first + count):
        path = inbox / f"bench_{index:07d}.txt"
        if russian is not None and is_russian(index, russian_share, seed):
            text = synthetic_russian_article(russian, index, seed)
        else:
            text = synthetic_article(shape, index, seed)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------- measuring


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its children that have ended."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class TreeRssSampler:
    """Peak resident memory of this process and all its descendants, sampled in a thread."""

    def __init__(self, interval_s: float = 0.2) -> None:
        self.interval_s = interval_s
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _sample(self) -> int:
        import psutil

        root = psutil.Process()
        total = 0
        for proc in [root, *root.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue  # a worker that just ended
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._sample())
            self._stop.wait(self.interval_s)

    def __enter__(self) -> TreeRssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_bytes = max(self.peak_bytes, self._sample())

    @property
    def peak_mb(self) -> float:
        return round(self.peak_bytes / 2**20, 1)


def landed_bodies(paths: list[Path], root: Path) -> list[str]:
    """The article bodies landing makes of these files (the reference's input)."""
    from flows.landing.formats import Record, read_records, sha256_hex
    from flows.landing.segment import cut_articles

    bodies = []
    for path in paths:
        data = path.read_bytes()
        for record in read_records(path.relative_to(root).as_posix(), data, sha256_hex(data)):
            if isinstance(record, Record):
                bodies.extend(draft.body for draft in cut_articles(record.text, record.hints))
    return bodies


def _natasha_chunk(bodies: list[str]) -> int:
    from flows.extract.russian.nlp import natasha_doc

    for body in bodies:
        natasha_doc(body)
    return len(bodies)


def russian_reference_seconds(bodies: list[str], n_process: int) -> float:
    """natasha's bare pipeline (segmenter, morphology, syntax, NER) over the Russian bodies, on
    `n_process` processes as extraction runs it; each process loads the models, as spaCy's do."""
    if not bodies:
        return 0.0
    started = time.perf_counter()
    if n_process <= 1:
        _natasha_chunk(bodies)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        chunks = [bodies[i : i + 64] for i in range(0, len(bodies), 64)]
        with ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn")) as pool:
            sum(pool.map(_natasha_chunk, chunks))
    return time.perf_counter() - started


def reference_seconds(bodies: list[str], n_process: int, batch_size: int) -> tuple[float, float]:
    """(same components, NER only): bare `nlp.pipe` over the bodies' paragraphs with the pipeline's first
    pass (NER, sentences, ruler), plus bare `nlp.pipe` of the parser pass over the sentences that hold a
    trigger word, as extraction parses them; and the first pass alone."""
    from flows.extract.nlp import first_pass, parse_pass, segments
    from flows.extract.rules.tables import needs_parse

    texts = [body[start:end] for body in bodies for start, end in segments(body)]
    started = time.perf_counter()
    to_parse = [
        sent.text
        for doc in first_pass(texts, batch_size=batch_size, n_process=n_process)
        for sent in doc.sents
        if needs_parse(sent.text)
    ]
    ner_only = time.perf_counter() - started
    for _ in parse_pass(to_parse, batch_size=batch_size, n_process=n_process):
        pass
    return time.perf_counter() - started, ner_only


def prefect_startup_seconds() -> float:
    """Start Prefect's API (the ephemeral server, unless PREFECT_API_URL names one) with a trivial flow."""
    from prefect import flow

    @flow(name="steppewatch-bench-warm-up", log_prints=False)
    def warm_up() -> None:
        return None

    started = time.perf_counter()
    warm_up()
    return time.perf_counter() - started


def _timed_run(inbox: Path, home: Path, n_process: int):
    from flows.pipeline import run_here

    started = time.perf_counter()
    summary = run_here(inbox=str(inbox), home=str(home), n_process=n_process)
    if summary.status not in {"published", "unchanged"}:
        raise RuntimeError(f"bench run did not publish: {summary.status}: {summary.message}")
    return time.perf_counter() - started, summary


def default_n_process(articles: int) -> int:
    """Two spaCy processes on a multi-core machine once the corpus is big enough to pay for them."""
    import os

    return 1 if articles < 200 or (os.cpu_count() or 1) < 2 else 2


def run_bench(
    articles: int,
    json_path: Path | None = None,
    n_process: int | None = None,
    work_dir: Path | None = None,
    russian_share: float = 0.0,
    reference: bool = True,
    fixed_incremental: int = 20,
) -> BenchResult:
    """Make the corpus, measure the reference and the three runs, and return (and write) the figures."""
    from flows.extract.nlp import BATCH_SIZE as DEFAULT_BATCH_SIZE

    n_process = n_process or default_n_process(articles)
    own_dir = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="steppewatch-bench-")) if own_dir else Path(work_dir)
    inbox, home = work / "inbox", work / "home"
    try:
        from flows.landing.language import detect_language

        shape = sample_shape()
        russian = russian_shape() if russian_share > 0 else None
        corpus = {"russian": russian, "russian_share": russian_share}
        paths = write_corpus(inbox, shape, 0, articles, **corpus)
        russian_articles = sum(is_russian(i, russian_share) for i in range(articles))
        bodies = landed_bodies(paths, inbox)
        words = sum(len(body.split()) for body in bodies)
        russian_bodies = [b for b in bodies if detect_language(b) == "ru"]
        english_bodies = [b for b in bodies if detect_language(b) != "ru"]
        cpu = cpu_seconds()
        reference_s = ner_only_s = 0.0
        if reference:
            reference_s, ner_only_s = reference_seconds(english_bodies, n_process, DEFAULT_BATCH_SIZE)
            russian_s = russian_reference_seconds(russian_bodies, n_process)
            reference_s += russian_s
            ner_only_s += russian_s
        reference_cpu = cpu_seconds() - cpu
        del bodies, russian_bodies, english_bodies

        prefect_startup_s = prefect_startup_seconds()
        cpu = cpu_seconds()
        with TreeRssSampler() as sampler:
            first_s, first = _timed_run(inbox, home, n_process)
        first_cpu = cpu_seconds() - cpu
        noop_s, noop = _timed_run(inbox, home, n_process)
        extra = max(1, articles // 100)
        write_corpus(inbox, shape, articles, extra, **corpus)
        incremental_s, incremental = _timed_run(inbox, home, n_process)
        write_corpus(inbox, shape, articles + extra, fixed_incremental, **corpus)
        fixed_s, fixed = _timed_run(inbox, home, n_process)
    finally:
        if own_dir:
            shutil.rmtree(work, ignore_errors=True)

    e2e = words / first_s
    reference_rate = words / reference_s if reference_s else 0.0
    ner_only_rate = words / ner_only_s if ner_only_s else 0.0
    result = BenchResult(
        articles=articles,
        russian_articles=russian_articles,
        words=words,
        n_process=n_process,
        batch_size=DEFAULT_BATCH_SIZE,
        prefect_startup_s=round(prefect_startup_s, 2),
        first_run_s=round(first_s, 2),
        e2e_words_per_s=round(e2e, 1),
        reference_s=round(reference_s, 2),
        reference_words_per_s=round(reference_rate, 1),
        ratio=round(e2e / reference_rate, 3) if reference_rate else 0.0,
        ner_only_words_per_s=round(ner_only_rate, 1),
        ratio_to_ner_only=round(e2e / ner_only_rate, 3) if ner_only_rate else 0.0,
        reference_cpu_s=round(reference_cpu, 1),
        first_run_cpu_s=round(first_cpu, 1),
        cpu_ratio=round(reference_cpu / first_cpu, 3),
        stage_s=first.stage_s,
        peak_rss_mb=sampler.peak_mb,
        noop_rerun_s=round(noop_s, 2),
        noop_stage_s=noop.stage_s,
        noop_message=noop.message,
        incremental_articles=extra,
        incremental_s=round(incremental_s, 2),
        incremental_stage_s=incremental.stage_s,
        incremental_message=incremental.message,
        fixed_incremental_articles=fixed_incremental,
        fixed_incremental_s=round(fixed_s, 2),
        fixed_incremental_stage_s=fixed.stage_s,
        s_per_article=round(first_s / articles, 4),
    )
    result.targets = {
        "incremental<=5%": result.incremental_s <= 0.05 * result.first_run_s,
    }
    if reference:
        result.targets |= {
            "ratio>=0.85": result.ratio >= 0.85,
            "e2e>=0.5*ner_only": result.ratio_to_ner_only >= 0.5,
        }
    result.targets |= {
        "peak_rss_mb<=2048": result.peak_rss_mb <= 2048,
        "noop<=10%": result.noop_rerun_s <= 0.1 * result.first_run_s,
        "incremental<=10%": result.incremental_s <= 0.1 * result.first_run_s,
    }
    if json_path:
        Path(json_path).write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
    return result


def corpus_stats(shape: SampleShape) -> dict[str, float]:
    """Sizes of the sample articles the synthetic ones imitate."""
    return {
        "sample_articles": len(shape.article_words),
        "mean_words": statistics.fmean(shape.article_words),
        "templates": len(shape.templates),
    }
