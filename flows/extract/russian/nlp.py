"""The Russian NLP pass: natasha's segmenter, slovnet morphology, syntax and NER (navec embeddings).

Every model ships inside the natasha / slovnet / navec packages, so nothing is downloaded.
Components load on first use, once per process. `analyse` turns one body into plain
records (sentences of tokens with body offsets, lemmas, UD relations; NER spans) that the
Russian rules read; no natasha object leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Token:
    index: int  # position in its sentence, 0-based
    text: str
    start: int  # body offsets
    end: int
    lemma: str
    pos: str
    feats: dict[str, str]
    head: int  # index of the head in the sentence, -1 for the root
    rel: str

    @property
    def case(self) -> str | None:
        return self.feats.get("Case")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    tokens: list[Token]

    def children(self, head: int, *rels: str) -> list[Token]:
        return [t for t in self.tokens if t.head == head and (not rels or t.rel in rels)]

    def subtree(self, index: int) -> list[Token]:
        """The token and every token below it, in sentence order."""
        keep = {index}
        grew = True
        while grew:
            grew = False
            for t in self.tokens:
                if t.head in keep and t.index not in keep:
                    keep.add(t.index)
                    grew = True
        return [t for t in self.tokens if t.index in keep]


@dataclass(frozen=True)
class NamedSpan:
    type: str  # PER | LOC | ORG
    start: int
    end: int
    text: str


@dataclass
class RuAnalysis:
    sentences: list[Sentence] = field(default_factory=list)
    spans: list[NamedSpan] = field(default_factory=list)


_LINE_END_RX = re.compile(r"(?<=[^\s.!?:;,])\n")


@lru_cache(maxsize=1)
def morph_vocab():
    """pymorphy2's analyser with the Russian dictionaries, found without pkg_resources.

    pymorphy2 looks its dictionary package up through `pkg_resources`, which current
    setuptools no longer ships; natasha's MorphVocab does the same. Passing the path of
    `pymorphy2_dicts_ru` directly avoids that lookup.
    """
    import pymorphy2_dicts_ru
    from natasha.morph.vocab import MorphForm, MorphVocab
    from pymorphy2 import MorphAnalyzer

    class _Vocab(MorphVocab):
        def __init__(self) -> None:
            MorphAnalyzer.__init__(self, path=pymorphy2_dicts_ru.get_path(), result_type=MorphForm)

    return _Vocab()


@lru_cache(maxsize=1)
def _components():
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    embedding = NewsEmbedding()
    return (
        Segmenter(),
        NewsMorphTagger(embedding),
        NewsSyntaxParser(embedding),
        NewsNERTagger(embedding),
        morph_vocab(),
    )


def load() -> None:
    """Load every component now (a worker warms up before its first chunk)."""
    _components()


# A title in guillemets may hold a full stop ('газеты «Трибуна. Саяси калам»'): it is no
# sentence end, so the segmenter sees a comma there (same length, offsets kept).
_QUOTED_STOP_RX = re.compile(r"«[^«»\n]{1,80}»")


def _keep_quote_whole(m: re.Match[str]) -> str:
    return re.sub(r"\.(?=\s)", ",", m.group(0))


def natasha_doc(body: str):
    """natasha's own Doc after every stage: the bare reference that `steppewatch bench` times."""
    from natasha import Doc

    segmenter, morph, syntax, ner, _vocab = _components()
    # A line that ends without a stop (a headline, a caption, a list item) ends its sentence:
    # the newline becomes a full stop, which keeps every offset and the length of the text.
    doc = Doc(_QUOTED_STOP_RX.sub(_keep_quote_whole, _LINE_END_RX.sub(".", body)))
    doc.segment(segmenter)
    doc.tag_morph(morph)
    doc.parse_syntax(syntax)
    doc.tag_ner(ner)
    return doc


@lru_cache(maxsize=1 << 16)
def _lemma(vocab, word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
    """natasha's lemma of a word with its tags, cached: news repeats its words, and lemmatising
    each token afresh was a quarter of the Russian path's time beyond natasha's own."""
    from natasha.morph.lemma import lemmatize

    try:
        lemma = lemmatize(vocab, word, pos, dict(feats))
    except Exception:  # an unknown tag combination: the word itself will do
        lemma = word
    return (lemma or word).lower().replace("ё", "е")


def analyse(body: str) -> RuAnalysis:
    doc = natasha_doc(body)
    vocab = _components()[4]
    sentences: list[Sentence] = []
    for sent in doc.sents:
        ids = {t.id: i for i, t in enumerate(sent.tokens)}
        tokens = []
        for i, t in enumerate(sent.tokens):
            feats = dict(t.feats or {})
            tokens.append(
                Token(
                    index=i,
                    text=body[t.start : t.stop],
                    start=t.start,
                    end=t.stop,
                    lemma=_lemma(vocab, t.text, t.pos or "", tuple(sorted(feats.items()))),
                    pos=t.pos or "",
                    feats=feats,
                    head=ids.get(t.head_id, -1),
                    rel=t.rel or "",
                )
            )
        sentences.append(Sentence(sent.start, sent.stop, body[sent.start : sent.stop], tokens))
    spans = [NamedSpan(span.type, span.start, span.stop, body[span.start : span.stop]) for span in doc.spans]
    return RuAnalysis(sentences, spans)
