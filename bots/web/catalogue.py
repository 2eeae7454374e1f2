"""The corpus documents by id, for the document endpoint."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from assistant.documents import Document
from assistant.errors import CorpusError

log = logging.getLogger("almanac.web")


class DocumentCatalogue:
    """The corpus documents by id, read again when a file changes; a broken file is skipped, not fatal."""

    def __init__(self, corpus_dir: Path):
        self.corpus_dir = corpus_dir
        self._stamp: tuple[tuple[str, int], ...] | None = None
        self._documents: dict[str, Document] = {}
        self._lock = threading.Lock()

    def get(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self.documents().get(doc_id)

    def documents(self) -> dict[str, Document]:
        """Every readable document by id, in corpus order."""
        from ingest.load import corpus_files, parse_document

        try:
            paths = corpus_files(self.corpus_dir)
        except CorpusError:
            return {}
        stamp = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
        with self._lock:
            if stamp != self._stamp:
                documents: dict[str, Document] = {}
                for path in paths:
                    try:
                        document = parse_document(path, self.corpus_dir)
                    except CorpusError as exc:
                        log.warning("skipping a corpus file: %s", exc)
                        continue
                    documents.setdefault(document.id, document)
                self._documents, self._stamp = documents, stamp
            return dict(self._documents)
