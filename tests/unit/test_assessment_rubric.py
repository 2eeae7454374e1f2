"""The self-assessment rubric: every outcome has one, it validates, and it says what its guide says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.assessment.guide import load_guides
from assistant.assessment.rubric import LEVELS, RubricError, load_rubrics
from assistant.outcomes import OUTCOME_SLUGS
from tests.conftest import CORPUS

# Each option must mean what its level's bullets in the guide mean: its cosine similarity (bundled
# all-MiniLM-L6-v2, normalised) with the closest bullet of its own level must reach MIN_SIMILARITY, and for
# nearly every option (MIN_NEAREST_SHARE) its own level must be the nearest of the four. Measured on the
# corpus when the rubric was written: lowest similarity 0.55, own level nearest for 296 of 296 options.
MIN_SIMILARITY = 0.5
MIN_NEAREST_SHARE = 0.95


def test_every_outcome_has_a_valid_rubric() -> None:
    rubrics = load_rubrics(CORPUS)
    assert list(rubrics) == list(OUTCOME_SLUGS)
    for slug, rubric in rubrics.items():
        assert 5 <= len(rubric.statements) <= 8, slug
        assert rubric.guide == f"outcome-{slug}"
    ids = [s.id for r in rubrics.values() for s in r.statements]
    assert len(ids) == len(set(ids))


def test_ingestion_reads_only_markdown_so_the_rubric_is_not_indexed() -> None:
    from ingest.load import corpus_files

    assert not [p for p in corpus_files(CORPUS) if "self-assessment" in p.parts]


def test_options_agree_with_the_guides_levels(embeddings) -> None:
    import numpy as np

    guides = load_guides(CORPUS)
    rubrics = load_rubrics(CORPUS)
    bullets = [(slug, lv, text) for slug in rubrics for lv in LEVELS for text in guides[slug].levels[lv]]
    options = [
        (slug, s.id, lv, s.options.text(lv))
        for slug, r in rubrics.items()
        for s in r.statements
        for lv in LEVELS
    ]
    encode = embeddings.model.encode
    bullet_vectors = encode([b[2] for b in bullets], normalize_embeddings=True, batch_size=64)
    option_vectors = encode([o[3] for o in options], normalize_embeddings=True, batch_size=64)
    similarity = option_vectors @ bullet_vectors.T
    weak, nearest = [], 0
    for row, (slug, statement_id, level, text) in zip(similarity, options, strict=True):
        best = {
            lv: max(float(row[j]) for j, b in enumerate(bullets) if b[0] == slug and b[1] == lv)
            for lv in LEVELS
        }
        nearest += max(best, key=lambda lv: best[lv]) == level
        if best[level] < MIN_SIMILARITY:
            weak.append(f"{statement_id}.{level} ({best[level]:.2f}): {text}")
    assert not weak, "options unlike their level's bullets in the guide:\n" + "\n".join(weak)
    share = nearest / len(options)
    assert share >= MIN_NEAREST_SHARE, f"own level nearest for only {nearest} of {len(options)} options"
    assert np.isfinite(similarity).all()


def _write(tmp_path: Path, files: dict[str, object]) -> Path:
    folder = tmp_path / "self-assessment"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def _valid(slug: str, prefix: str | None = None) -> dict[str, object]:
    prefix = prefix or slug
    return {
        "outcome": slug,
        "guide": f"outcome-{slug}",
        "statements": [
            {
                "id": f"{prefix}-{i}",
                "prompt": "Who owns it?",
                "options": {lv: f"The {lv} position {i}." for lv in LEVELS},
            }
            for i in range(5)
        ],
    }


def _problems(tmp_path: Path, files: dict[str, object]) -> str:
    all_files: dict[str, object] = {f"{slug}.yaml": _valid(slug) for slug in OUTCOME_SLUGS}
    all_files.update(files)
    with pytest.raises(RubricError) as caught:
        load_rubrics(_write(tmp_path, {k: v for k, v in all_files.items() if v is not None}))
    return str(caught.value)


def test_three_options_names_file_and_field(tmp_path: Path) -> None:
    data = _valid("data")
    del data["statements"][2]["options"]["leading"]  # type: ignore[index]
    message = _problems(tmp_path, {"data.yaml": data})
    assert "self-assessment/data.yaml: field 'statements.2.options.leading': is missing" in message


def test_unknown_option_name_is_reported(tmp_path: Path) -> None:
    data = _valid("value")
    data["statements"][0]["options"]["expert"] = "Something else."  # type: ignore[index]
    message = _problems(tmp_path, {"value.yaml": data})
    assert "value.yaml: field 'statements.0.options.expert': is not a known field" in message


def test_duplicate_ids_within_and_across_files(tmp_path: Path) -> None:
    data = _valid("data")
    data["statements"][1]["id"] = "data-0"  # type: ignore[index]
    clash = _valid("ethics", prefix="value")
    message = _problems(tmp_path, {"data.yaml": data, "ethics.yaml": clash})
    assert "data.yaml: field 'statements': statement id 'data-0' is used more than once" in message
    assert (
        "value.yaml: field 'statements.0.id': 'value-0' is already used in self-assessment/ethics.yaml"
        in message
    )


def test_missing_rubric_unknown_outcome_and_too_few_statements(tmp_path: Path) -> None:
    short = _valid("services")
    short["statements"] = short["statements"][:3]  # type: ignore[index]
    wrong = _valid("inclusion")
    wrong["outcome"] = "inclusivity"
    message = _problems(tmp_path, {"leadership.yaml": None, "services.yaml": short, "inclusion.yaml": wrong})
    assert "self-assessment/leadership.yaml: is missing; every outcome needs a rubric file" in message
    assert "services.yaml: field 'statements': List should have at least 5 items" in message
    assert "inclusion.yaml: field 'outcome': unknown outcome 'inclusivity'" in message


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    message = _problems(tmp_path, {"data.yaml": "outcome: data\nstatements: [\n  - id: x\n"})
    assert "self-assessment/data.yaml: line" in message and "malformed YAML" in message
