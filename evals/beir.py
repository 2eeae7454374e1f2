"""Retrieval benchmark on a BEIR-format dataset, with the project's own chunking, embeddings and retriever.

Documents are chunked as the corpus is (long ones become several chunks), indexed into a temporary Chroma
collection and searched in each retrieval mode; a document's rank is that of its best chunk.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.documents import Chunk
from assistant.errors import AlmanacError
from evals import metrics
from evals.runner import check_configs
from ingest.chunk import pack_section

ProgressCallback = Callable[[str, int, int], None]
NDCG_K, RECALL_K, MRR_K = 10, 100, 10
BATCH = 256


class BeirFormatError(AlmanacError):
    """A BEIR dataset folder is missing files or has malformed lines."""


@dataclass
class BeirDataset:
    """A BEIR dataset: documents (title, text), queries and graded relevance judgements."""

    name: str
    corpus: dict[str, tuple[str, str]]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def _read_jsonl(path: Path, fields: Sequence[str]) -> list[dict[str, Any]]:
    if not path.is_file():
        raise BeirFormatError(
            f"{path} not found; a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv"
        )
    rows, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name} line {number}: not valid JSON ({exc.msg})")
            continue
        missing = [f for f in fields if not isinstance(row, dict) or not isinstance(row.get(f), str)]
        if missing:
            problems.append(f"{path.name} line {number}: needs text field(s) {', '.join(missing)}")
            continue
        rows.append(row)
    if problems:
        raise BeirFormatError(
            "The BEIR dataset has problems:\n" + "\n".join(f"  - {p}" for p in problems[:20])
        )
    return rows


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    if not path.is_file():
        splits = sorted(p.stem for p in path.parent.glob("*.tsv"))
        raise BeirFormatError(f"{path} not found; available splits: {', '.join(splits) or 'none'}")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or (number == 1 and row[0].strip().lower() in {"query-id", "query_id", "qid"}):
                continue
            try:
                query_id, doc_id, grade = row[0], row[1], int(row[-1])
            except (IndexError, ValueError):
                raise BeirFormatError(
                    f"{path.name} line {number}: expected query-id, corpus-id and an integer score"
                ) from None
            qrels.setdefault(query_id, {})[doc_id] = grade
    return qrels


def load_beir(folder: Path, split: str = "test") -> BeirDataset:
    """Read corpus.jsonl (_id, title, text), queries.jsonl (_id, text) and qrels/<split>.tsv.

    Raises:
        BeirFormatError: a file is missing or a line is malformed.
    """
    folder = Path(folder)
    corpus = {
        str(r["_id"]): (str(r.get("title") or ""), str(r["text"]))
        for r in _read_jsonl(folder / "corpus.jsonl", ["_id", "text"])
    }
    queries = {str(r["_id"]): str(r["text"]) for r in _read_jsonl(folder / "queries.jsonl", ["_id", "text"])}
    qrels = _read_qrels(folder / "qrels" / f"{split}.tsv")
    judged = {q: rels for q, rels in qrels.items() if q in queries and any(g > 0 for g in rels.values())}
    if not corpus or not judged:
        raise BeirFormatError(f"{folder} has no documents or no judged queries for split {split!r}")
    return BeirDataset(folder.name, corpus, {q: queries[q] for q in judged}, judged)


def document_chunks(doc_id: str, title: str, text: str, *, target: int, overlap: int) -> list[Chunk]:
    """A document split as the corpus is: paragraphs packed into overlapping chunks of about target tokens."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()] or [
        title or doc_id
    ]
    pieces = pack_section(blocks, target=target, overlap=overlap)
    return [
        Chunk(
            id=f"{doc_id}#{index:03d}",
            doc_id=doc_id,
            text=piece,
            metadata={
                "doc_id": doc_id,
                "title": title,
                "section": "Text",
                "heading_path": "",
                "chunk_index": index,
            },
        )
        for index, piece in enumerate(pieces)
    ]


def run_beir(
    settings: Settings,
    dataset: BeirDataset,
    *,
    configs: Sequence[str] = ("hybrid", "dense", "bm25"),
    embeddings: Any | None = None,
    progress: ProgressCallback | None = None,
    split: str = "test",
) -> dict[str, Any]:
    """Index the dataset into a temporary collection, search it in each config and return the report."""
    from assistant.embeddings import get_embeddings
    from assistant.retrieval import HybridRetriever
    from assistant.store import ChromaStore

    chosen = check_configs(configs)
    notify = progress or (lambda _kind, _done, _total: None)
    embeddings = embeddings or get_embeddings(
        settings.embedding_model, batch_size=settings.embedding_batch_size
    )
    chunks = [
        chunk
        for doc_id, (title, text) in dataset.corpus.items()
        for chunk in document_chunks(
            doc_id, title, text, target=settings.chunk_tokens, overlap=settings.chunk_overlap
        )
    ]
    store = ChromaStore(settings, collection=f"beir-{uuid.uuid4().hex[:12]}")
    try:
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            store.upsert(batch, embeddings.embed_documents([c.embedding_text() for c in batch]))
            notify("indexing", start + len(batch), len(chunks))
        store.set_info(
            {
                "fingerprint": store.name,
                "embedding_model": getattr(embeddings, "label", ""),
                "documents": len(dataset.corpus),
                "chunks": len(chunks),
            }
        )
        retriever = HybridRetriever(
            store=store, embeddings=embeddings, k=RECALL_K, candidates=RECALL_K * 3, max_per_doc=1
        )
        query_ids = list(dataset.queries)
        vectors = embeddings.embed_documents([dataset.queries[q] for q in query_ids])
        scores: dict[str, dict[str, list[float]]] = {
            c: {"ndcg@10": [], "recall@100": [], "mrr@10": []} for c in chosen
        }
        for config in chosen:
            for index, (query_id, vector) in enumerate(zip(query_ids, vectors, strict=True), start=1):
                hits = retriever.search(dataset.queries[query_id], query_embedding=vector, mode=config)
                ranked = [hit.chunk.doc_id for hit in hits]
                rels = dataset.qrels[query_id]
                scores[config]["ndcg@10"].append(metrics.ndcg_at_k(ranked, rels, NDCG_K))
                scores[config]["recall@100"].append(metrics.recall_at_k(ranked, rels, RECALL_K))
                scores[config]["mrr@10"].append(metrics.mrr_at_k(ranked, rels, MRR_K))
                notify(config, index, len(query_ids))
    finally:
        store.drop()
    summary = {
        config: {
            "n": len(query_ids),
            **{name: round(metrics.mean(values) or 0.0, 4) for name, values in by_metric.items()},
        }
        for config, by_metric in scores.items()
    }
    return {
        "kind": "beir",
        "dataset": dataset.name,
        "split": split,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "configs": chosen,
        "documents": len(dataset.corpus),
        "chunks": len(chunks),
        "queries": len(query_ids),
        "summary": summary,
    }


def run_beir_cli(
    settings: Settings, *, beir: Path, split: str, configs: Sequence[str], out: Path
) -> dict[str, Any]:
    """The `almanac eval-retrieval` command: benchmark, write the reports into out and print the summary."""
    from evals.report import print_summary, write_reports

    chosen = check_configs(configs)
    dataset = load_beir(beir, split)
    print(f"{dataset.name}: {len(dataset.corpus)} documents, {len(dataset.queries)} judged queries ({split})")
    if sys.stdout.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        ) as bar:
            tasks: dict[str, Any] = {}

            def show(kind: str, done: int, total: int) -> None:
                if kind not in tasks:
                    tasks[kind] = bar.add_task(kind, total=total)
                bar.update(tasks[kind], completed=done, total=total)

            report = run_beir(settings, dataset, configs=chosen, progress=show, split=split)
    else:
        report = run_beir(settings, dataset, configs=chosen, split=split)
    paths = write_reports(report, out)
    print_summary(report)
    print("Reports: " + ", ".join(str(p) for p in paths))
    return report
