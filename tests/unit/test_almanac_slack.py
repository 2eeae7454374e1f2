"""Slack sources link to the cited almanac section when the site's public address is set."""

from __future__ import annotations

from assistant.answer import Answer, Citation
from bots.slack.blocks import answer_blocks


def answer() -> Answer:
    citation = Citation(
        n=1,
        doc_id="outcome-data",
        title="Data guide",
        section="Where to start > First 90 days",
        snippet="Start with a data sharing register.",
        path="corpus/outcomes/data.md",
        page="/almanac/outcome-data#first-90-days",
        reviewed="2026-12-01",
    )
    return Answer(question="q", text="Start with a register [1].", citations=[citation])


def sources_text(blocks: list[dict]) -> str:
    return next(b["text"]["text"] for b in blocks if b["type"] == "section")


def test_sources_link_to_the_almanac_page_with_a_public_url() -> None:
    text = sources_text(answer_blocks(answer(), public_url="https://almanac.example.gov.uk/"))
    assert (
        "<https://almanac.example.gov.uk/almanac/outcome-data#first-90-days|Data guide, Where to start"
        in text
    )


def test_sources_are_plain_titles_without_a_public_url() -> None:
    text = sources_text(answer_blocks(answer()))
    assert "1. Data guide, Where to start > First 90 days" in text.replace("&gt;", ">")
    assert "<http" not in text and "/almanac/" not in text
