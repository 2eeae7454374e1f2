"""The almanac's reading pages over a real server: index, filters, documents, search, citation links."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest

from assistant.config import PROJECT_ROOT, Settings
from bots.store import open_stores
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.fakes import FakeAssistant

pytestmark = pytest.mark.server
DEV = PROJECT_ROOT / "evals" / "questions" / "dev.jsonl"


def serve(settings: Settings, assistant) -> Iterator[httpx.Client]:
    app = create_app(settings, assistant=assistant, stores=open_stores(settings))
    with serve_in_background(app, port=free_port()) as url, httpx.Client(base_url=url, timeout=120) as client:
        yield client


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    settings = make_settings(tmp_path_factory.mktemp("almanac-pages"))
    yield from serve(settings, FakeAssistant(settings))


@pytest.fixture(scope="module")
def real_web(
    index_settings: Settings, assistant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    settings = index_settings.model_copy(
        update={"feedback_db": tmp_path_factory.mktemp("ap") / "f.db", "rate_limit_per_minute": 1000}
    )
    yield from serve(settings, assistant)


def links(page: str, prefix: str = "/almanac/") -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}[^"#?]+)', page)


def test_index_lists_every_outcome_with_its_guide_cases_and_the_framework(web: httpx.Client) -> None:
    response = web.get("/almanac")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    page = response.text
    assert page.count('<section class="outcome"') == 12
    assert "The council manages, shares and uses data to recognised standards" in page
    for doc_id in (
        "outcome-data",
        "outcome-value",
        "case-camden-data-charter",
        "framework-overview",
        "framework-glossary",
    ):
        assert f'href="/almanac/{doc_id}"' in page
    assert "<script>" not in page and 'src="/widget.js"' in page
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_every_document_linked_from_the_index_opens(web: httpx.Client) -> None:
    targets = sorted(set(links(web.get("/almanac").text)))
    assert len(targets) >= 50
    for target in targets:
        page = web.get(target)
        assert page.status_code == 200, target
        assert "Reviewed " in page.text and 'id="summary"' in page.text


def test_filters_narrow_the_index_on_the_server(web: httpx.Client) -> None:
    everything = set(links(web.get("/almanac").text))
    data = web.get("/almanac", params={"outcome": "data"}).text
    assert data.count('<section class="outcome"') == 1 and ">Data</h2>" in data
    london = set(
        links(web.get("/almanac", params={"outcome": "data", "council_type": "london-borough"}).text)
    )
    cases = {link for link in london if link.startswith("/almanac/case-")}
    assert "/almanac/case-camden-data-charter" in cases
    assert "/almanac/case-kent-integrated-dataset" not in cases
    assert cases < everything
    region = web.get("/almanac", params={"region": "Scotland"}).text
    assert "case-scotland-participatory-budgeting" in region and "case-camden-data-charter" not in region
    assert '<option value="london-borough" selected>' in web.get("/almanac?council_type=london-borough").text


def test_bad_filters_and_unknown_documents_get_a_clear_page(web: httpx.Client) -> None:
    bad = web.get("/almanac", params={"outcome": "broadband"})
    assert bad.status_code == 422 and "outcome: &#x27;broadband&#x27; is not an outcome" in bad.text
    missing = web.get("/almanac/no-such-doc")
    assert missing.status_code == 404 and "no-such-doc" in missing.text and 'href="/almanac"' in missing.text


def test_a_case_study_page_has_contents_sources_facts_and_related(web: httpx.Client) -> None:
    page = web.get("/almanac/case-camden-data-charter").text
    assert "<h1>Camden Council: a Data Charter written with residents</h1>" in page
    assert "Reviewed 1 December 2026" in page
    assert '<a href="#what-they-did">What they did</a>' in page and '<h2 id="what-they-did">' in page
    assert '<a href="https://www.camden.gov.uk/developing-the-data-charter">' in page
    assert "<dd>London Borough of Camden</dd>" in page
    assert 'href="/almanac/case-kent-integrated-dataset"' in page
    assert 'data-almanac-ask="About &quot;Camden Council' in page


@pytest.mark.e2e
def test_search_lists_matching_documents_and_sections(real_web: httpx.Client) -> None:
    page = real_web.get("/almanac", params={"q": "ransomware attack recovery"}).text
    results = page.split('class="results"')[1].split("</section>")[0]
    assert re.search(r'href="/almanac/case-[a-z-]*ransomware"', results)
    sections = re.findall(r'href="(/almanac/[a-z0-9-]+#[a-z0-9-]+)"', results)
    assert sections
    doc, anchor = sections[0].split("#")
    assert f'id="{anchor}"' in real_web.get(doc).text
    filtered = real_web.get("/almanac", params={"q": "ransomware", "council_type": "county"}).text
    assert "case-copeland-ransomware" not in filtered.split('class="results"')[1].split("</section>")[0]


@pytest.mark.e2e
def test_every_citation_in_a_dev_set_run_opens_an_existing_section(real_web: httpx.Client) -> None:
    questions = [
        json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines() if line
    ]
    pages: dict[str, str] = {}
    checked = 0
    for question in questions:
        answer = real_web.post("/api/chat", json={"question": question})
        assert answer.status_code == 200, question
        for citation in answer.json()["citations"]:
            link = citation["page"]
            doc_path, _, anchor = link.partition("#")
            assert doc_path == f"/almanac/{citation['doc_id']}", link
            if doc_path not in pages:
                pages[doc_path] = real_web.get(doc_path).text
            assert anchor == "" or f'id="{anchor}"' in pages[doc_path], (question, link)
            checked += 1
    assert checked > len(questions)
    print(f"{checked} citation links checked over {len(questions)} questions")
