"""The vector store: the only module that imports chromadb.

Embedded `PersistentClient` under the data folder by default; a Chroma server through `HttpClient`
when `ALMANAC_CHROMA_URL` is set. Embeddings are always passed in: the collection has no embedding
function, so Chroma's default (which downloads a model) can never run.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.documents import Chunk
from assistant.errors import ConfigError

PAGE = 1000
INFO_KEY = "almanac_info"


@dataclass
class ScoredChunk:
    """A retrieved chunk with its score (cosine similarity for dense search)."""

    chunk: Chunk
    score: float


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in {"http", "https"} or not url.hostname:
            raise ConfigError(
                f"ALMANAC_CHROMA_URL={settings.chroma_url!r} is not a URL; use e.g. http://127.0.0.1:8001"
            )
        port = url.port or (443 if url.scheme == "https" else 80)
        return chromadb.HttpClient(
            host=url.hostname, port=port, ssl=url.scheme == "https", settings=chroma_settings
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ChromaStore:
    """A Chroma collection of chunks with our own embeddings."""

    def __init__(self, settings: Settings, *, collection: str | None = None):
        self.settings = settings
        self.name = collection or settings.collection
        self.location = settings.index_location()
        self._client = _client(settings)
        self._collection = self._open()

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            self.name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def reset(self) -> None:
        """Drop every chunk (used by --rebuild)."""
        with contextlib.suppress(Exception):  # an absent collection has nothing to drop
            self._client.delete_collection(self.name)
        self._collection = self._open()

    def drop(self) -> None:
        """Delete the collection entirely (temporary collections)."""
        self._client.delete_collection(self.name)

    def count(self) -> int:
        return int(self._collection.count())

    # Index information (model, ingestion time, fingerprint) lives in the collection's metadata.
    def info(self) -> dict[str, Any]:
        metadata = self._client.get_collection(self.name, embedding_function=None).metadata or {}
        try:
            return dict(json.loads(metadata.get(INFO_KEY, "{}")))
        except (TypeError, ValueError):
            return {}

    def set_info(self, info: dict[str, Any]) -> None:
        self._collection.modify(metadata={INFO_KEY: json.dumps(info)})

    def iter_metadata(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every chunk id with its metadata, paged."""
        offset = 0
        while True:
            page = self._collection.get(include=["metadatas"], limit=PAGE, offset=offset)
            ids = page["ids"]
            if not ids:
                return
            yield from zip(ids, page["metadatas"] or [{}] * len(ids), strict=True)
            offset += len(ids)

    def all_chunks(self) -> list[Chunk]:
        """Every chunk with its text and metadata, in id order."""
        return self.all_chunks_with_vectors(vectors=False)[0]

    def all_chunks_with_vectors(self, *, vectors: bool = True) -> tuple[list[Chunk], list[list[float]]]:
        """Every chunk in id order, with its stored vector when asked (for an in-memory dense search)."""
        found: list[tuple[Chunk, list[float]]] = []
        offset = 0
        include = ["metadatas", "documents", *(["embeddings"] if vectors else [])]
        while True:
            page = self._collection.get(include=include, limit=PAGE, offset=offset)
            ids = page["ids"]
            if not ids:
                break
            embeddings = page.get("embeddings") if vectors else None
            for i, (chunk_id, meta, text) in enumerate(
                zip(ids, page["metadatas"], page["documents"], strict=True)
            ):
                meta = dict(meta or {})
                chunk = Chunk(id=chunk_id, doc_id=str(meta.get("doc_id", "")), text=text or "", metadata=meta)
                found.append((chunk, list(map(float, embeddings[i])) if embeddings is not None else []))
            offset += len(ids)
        found.sort(key=lambda item: item[0].id)
        return [c for c, _ in found], [v for _, v in found]

    def upsert(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        if not chunks:
            return
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=[list(map(float, e)) for e in embeddings],
            documents=[c.text for c in chunks],
            metadatas=[c.metadata for c in chunks],
        )

    def delete_ids(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), PAGE):
            self._collection.delete(ids=list(ids[start : start + PAGE]))

    def query(
        self, embedding: Sequence[float], k: int, *, where: dict[str, Any] | None = None
    ) -> list[ScoredChunk]:
        """Nearest chunks by cosine similarity (1 - cosine distance)."""
        count = self.count()
        if count == 0:
            return []
        result = self._collection.query(
            query_embeddings=[list(map(float, embedding))],
            n_results=min(k, count),
            where=where or None,
            include=["metadatas", "documents", "distances"],
        )
        scored = []
        for chunk_id, meta, text, distance in zip(
            result["ids"][0],
            result["metadatas"][0],
            result["documents"][0],
            result["distances"][0],
            strict=True,
        ):
            meta = dict(meta or {})
            chunk = Chunk(id=chunk_id, doc_id=str(meta.get("doc_id", "")), text=text or "", metadata=meta)
            scored.append(ScoredChunk(chunk, 1.0 - float(distance)))
        return scored
