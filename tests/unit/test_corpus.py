"""The almanac corpus: every outcome covered, sections present, links resolve (loading checks fields)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import pytest

from assistant.documents import ALSO_ASKED_KEY, Document, without_also_asked
from assistant.outcomes import OUTCOME_SLUGS
from assistant.sentences import last_heading
from assistant.text import analyze
from ingest.chunk import chunk_document
from ingest.load import load_corpus
from tests.conftest import CORPUS

COMMON_QUESTIONS = "Common questions"
GUIDANCE_SECTIONS = [
    "What it means for a council",
    "What good looks like",
    "Self-assessment",
    "Common challenges",
    "Where to start",
    "Measures and indicators",
    COMMON_QUESTIONS,  # directly after the measures, before the related documents
    "Related outcomes and case studies",
    "Key sources",
]
MIN_COMMON_QUESTIONS = 12
ANSWER_WORDS = (50, 120)
GUIDE_WORDS = (1500, 3600)  # the body without its Common questions section
MATURITY_LEVELS = ["Starting", "Developing", "Established", "Leading", "Questions to ask"]
CASE_SECTIONS = [
    "The council and its context",
    "The challenge",
    "What they did",
    "What happened",
    "What others can learn",
    "Sources",
]
REFERENCE_RE = re.compile(r"`((?:case|outcome|framework)-[a-z0-9-]+)`")


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return load_corpus(CORPUS)  # raises CorpusError naming every invalid file


def headings(doc: Document, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+?)\s*$", doc.body, re.MULTILINE)


def words(doc: Document) -> int:
    return len(doc.body.split())


def by_type(docs: list[Document], doc_type: str) -> list[Document]:
    return [d for d in docs if d.meta.type == doc_type]


def section(doc: Document, title: str) -> str:
    """The text of the `## title` section, without its heading; empty if the document has none."""
    match = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", doc.body, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def common_questions(doc: Document) -> list[tuple[str, str]]:
    """Each `### question` of the Common questions section with its answer text."""
    text = without_also_asked(section(doc, COMMON_QUESTIONS))  # the other ways it is asked are not its answer
    parts = re.split(r"^### (.+?)\s*$", text, flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_each_common_question_says_how_else_officers_ask_it(docs: list[Document]) -> None:
    for doc in by_type(docs, "guidance"):
        for chunk in chunk_document(doc):
            if chunk.metadata.get("section") == "Common questions":
                asked = json.loads(str(chunk.metadata.get(ALSO_ASKED_KEY) or "[]"))
                heading = last_heading(chunk.metadata)
                assert len(asked) >= 2, (doc.rel_path, heading)
                assert heading not in asked, (doc.rel_path, heading)


def test_framework_overview_and_glossary(docs: list[Document]) -> None:
    ids = {d.id for d in by_type(docs, "overview")}
    assert {"framework-overview", "framework-glossary"} <= ids
    glossary = next(d for d in docs if d.id == "framework-glossary")
    terms = {t.split(" (")[0] for t in headings(glossary, 3)}
    for term in ("ATRS", "CAF", "UPRN", "Project Gigabit", "Local Digital Declaration"):
        assert any(term.lower() in t.lower() for t in terms), term


def test_each_outcome_has_exactly_one_complete_guidance_document(docs: list[Document]) -> None:
    guidance = by_type(docs, "guidance")
    assert Counter(d.meta.outcomes[0] for d in guidance) == Counter(OUTCOME_SLUGS)
    for doc in guidance:
        slug = doc.meta.outcomes[0]
        assert doc.id == f"outcome-{slug}" and doc.path.name == f"{slug}.md"
        assert headings(doc, 2) == GUIDANCE_SECTIONS, doc.rel_path
        assert all(level in headings(doc, 3) for level in MATURITY_LEVELS), doc.rel_path
        questions = doc.body.split("### Questions to ask", 1)[1].split("\n## ", 1)[0]
        assert 5 <= len(re.findall(r"^\d+\. ", questions, re.MULTILINE)) <= 8, doc.rel_path
        without_questions = words(doc) - len(section(doc, COMMON_QUESTIONS).split())
        assert GUIDE_WORDS[0] <= without_questions <= GUIDE_WORDS[1], (doc.rel_path, without_questions)


def test_each_guide_answers_common_questions(docs: list[Document]) -> None:
    for doc in by_type(docs, "guidance"):
        entries = common_questions(doc)
        assert len(entries) >= MIN_COMMON_QUESTIONS, (doc.rel_path, len(entries))
        for question, answer in entries:
            assert question.endswith("?"), (doc.rel_path, question)
            assert ANSWER_WORDS[0] <= len(answer.split()) <= ANSWER_WORDS[1], (
                doc.rel_path,
                question,
                len(answer.split()),
            )
        named = {ref for _, answer in entries for ref in REFERENCE_RE.findall(answer)}
        assert named <= {d.id for d in docs}, (doc.rel_path, sorted(named - {d.id for d in docs}))


def test_review_dates_are_real(docs: list[Document]) -> None:
    today = dt.date.today()
    future = [(d.rel_path, d.meta.updated) for d in docs if d.meta.updated > today]
    assert not future, f"`updated` dates after today ({today}): {future}"
    # `updated` records when each document was checked against its sources, so it cannot come before
    # the newest source the document cites (a whole corpus checked on one day may share one date).
    stale = [
        (d.rel_path, d.meta.updated, newest)
        for d in docs
        if (newest := max((s.year for s in d.meta.sources if s.year), default=0)) > d.meta.updated.year
    ]
    assert not stale, f"`updated` earlier than the newest source cited: {stale}"


def test_case_studies_cover_every_outcome(docs: list[Document]) -> None:
    cases = by_type(docs, "case-study")
    assert len(cases) >= 40
    per_outcome = Counter(slug for d in cases for slug in d.meta.outcomes)
    assert all(per_outcome[slug] >= 3 for slug in OUTCOME_SLUGS), per_outcome
    assert len({d.meta.council_type for d in cases}) >= 5  # a balanced set of council types


def test_case_studies_are_complete(docs: list[Document]) -> None:
    for doc in by_type(docs, "case-study"):
        assert headings(doc, 2) == CASE_SECTIONS, doc.rel_path
        assert 400 <= words(doc) <= 900, (doc.rel_path, words(doc))
        assert doc.id.startswith("case-") and doc.path.name == f"{doc.id.removeprefix('case-')}.md"


def test_other_names_of_a_case_are_names_its_text_uses(docs: list[Document]) -> None:
    named = [doc for doc in docs if doc.meta.known_as]
    assert named  # "Digital Pathfinders", "Open Digital Planning"
    for doc in named:
        for name in doc.meta.known_as:
            assert name in doc.body, (doc.rel_path, name)


def test_cross_references_resolve(docs: list[Document]) -> None:
    ids = {d.id for d in docs}
    for doc in docs:
        named = set(REFERENCE_RE.findall(doc.body)) | set(doc.meta.related)
        assert named <= ids, (doc.rel_path, sorted(named - ids))


def test_cases_and_guidance_link_both_ways(docs: list[Document]) -> None:
    guidance = {d.meta.outcomes[0]: d for d in by_type(docs, "guidance")}
    for case in by_type(docs, "case-study"):
        for slug in case.meta.outcomes:
            assert f"outcome-{slug}" in case.meta.related, (case.rel_path, slug)
            assert f"`{case.id}`" in guidance[slug].body, (guidance[slug].rel_path, case.id)


def test_no_other_wording_of_a_common_question_is_taken_from_an_evaluation_or_calibration_question(
    docs: list[Document],
) -> None:
    """Evaluation sets measure and never train: an "also asked" wording shares at most half its words (and
    theirs) with any question the assistant is measured or calibrated on."""
    root = CORPUS.parent / "evals"
    asked_of_us: list[str] = []
    for path in sorted((root / "questions").glob("*.jsonl")) + sorted(
        (root / "calibration").glob("common_*.jsonl")
    ):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            asked_of_us += [item["question"], *item.get("history", [])]
    measured = [(q, set(analyze(q))) for q in asked_of_us]
    for doc in by_type(docs, "guidance"):
        for chunk in chunk_document(doc):
            for wording in json.loads(str(chunk.metadata.get(ALSO_ASKED_KEY) or "[]")):
                words = set(analyze(wording))
                for question, theirs in measured:
                    overlap = len(words & theirs) / (len(words | theirs) or 1)
                    assert overlap < MAX_SHARED_WORDS, (doc.rel_path, wording, question)


MAX_SHARED_WORDS = 0.6
