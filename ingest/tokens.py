"""Token counts from the embedding model's own tokenizer, so no chunk is cut at the model's window."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.embeddings import bundled_model_path

if TYPE_CHECKING:
    from tokenizers import Tokenizer

# Used when a model does not declare its window; BERT-family models accept 512 tokens.
FALLBACK_MAX_SEQ_LENGTH = 512


class TokenCounter:
    """Counts the tokens a text becomes with a model's tokenizer, and knows the model's input window."""

    def __init__(self, tokenizer: Tokenizer, *, max_seq_length: int):
        tokenizer.no_truncation()  # a count must see every token
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self.max_seq_length = max_seq_length
        specials = tokenizer.post_processor
        # [CLS] and [SEP] (or the model's equivalents) take part of every window.
        self.window = max_seq_length - (specials.num_special_tokens_to_add(False) if specials else 0)
        self._cache: dict[str, int] = {}

    def count(self, text: str) -> int:
        """Tokens in text, without the special tokens."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = len(self._tokenizer.encode(text, add_special_tokens=False).ids)
        return cached

    def count_many(self, texts: list[str]) -> list[int]:
        """Tokens in each text, in one tokenizer call for the texts not counted before."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            encoded = self._tokenizer.encode_batch(missing, add_special_tokens=False)
            self._cache.update(zip(missing, (len(e.ids) for e in encoded), strict=True))
        return [self._cache[t] for t in texts]

    def fits(self, text: str) -> bool:
        """Whether the model reads text whole, special tokens included."""
        return self.count(text) <= self.window

    def split(self, text: str, limit: int) -> list[str]:
        """Cut text into runs of at most limit tokens, at word boundaries where a word allows."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1 token, not {limit}")
        offsets = self._tokenizer.encode(text, add_special_tokens=False).offsets
        runs: list[str] = []
        start = 0  # the first token of the current run
        while start < len(offsets):
            end = min(start + limit, len(offsets))
            if end < len(offsets):
                # Step back to a token that starts a word, so no word is split between runs.
                cut = end
                while cut > start + 1 and offsets[cut][0] == offsets[cut - 1][1]:
                    cut -= 1
                end = cut if cut > start + 1 else end
            stop = offsets[end][0] if end < len(offsets) else len(text)
            runs.append(text[offsets[start][0] : stop].strip())
            start = end
        return [run for run in runs if run]


def _declared_max_seq_length(folder: Path | None) -> int | None:
    """The window a sentence-transformers model folder declares."""
    config = folder / "sentence_bert_config.json" if folder else None
    if config is None or not config.is_file():
        return None
    value = json.loads(config.read_text(encoding="utf-8")).get("max_seq_length")
    return value if isinstance(value, int) and value > 0 else None


def _model_folder(name: str) -> Path | None:
    """The model's folder: the path itself, or the local copy of a model named by id."""
    if Path(name).is_dir():
        return Path(name)
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(name, "config.json")
    except ValueError:  # neither a folder nor a model id
        return None
    return Path(found).parent if isinstance(found, str) else None


@lru_cache(maxsize=4)
def token_counter(model_name: str = "") -> TokenCounter:
    """The token counter for an embedding model (empty = the bundled all-MiniLM-L6-v2), loaded offline."""
    name = model_name or bundled_model_path()
    folder = _model_folder(name)
    if folder is not None and (folder / "tokenizer.json").is_file():
        from tokenizers import Tokenizer

        # The fast tokenizer straight from its file: the same tokens, without importing transformers.
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    else:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(name).backend_tokenizer
    max_seq_length = _declared_max_seq_length(folder) or FALLBACK_MAX_SEQ_LENGTH
    return TokenCounter(tokenizer, max_seq_length=max_seq_length)
