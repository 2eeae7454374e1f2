"""Nugget judging: does an answer state what an ideal answer from the almanac would?

A question may carry `nuggets`, 2-4 short statements an ideal answer contains (after the TREC 2024 RAG
track's nugget evaluation). A nugget counts as stated when some sentence or list item of the answer is close
to it in meaning: the cosine similarity of their embeddings reaches `NUGGET_THRESHOLD`. Keywords play no part.

The embeddings always come from the bundled all-MiniLM-L6-v2, the model the threshold was calibrated on,
whatever model the assistant itself is configured with.

Calibration: `evals/calibration/nugget_pairs.jsonl` holds 98 labelled (nugget, sentence) pairs written from
the corpus (not from any question set's answers): 44 matches (7 near-verbatim, 29 paraphrases, 8 loose
paraphrases) and 54 non-matches (40 hard negatives on the same topic that make a different claim: another
council, figure, date or step; 14 on another topic). `python -m evals.calibrate` scores every pair and takes
the strictest threshold whose F1 is within 0.01 of the best (a nugget is compared with every sentence of an
answer, so false matches are likelier in use than on single pairs). On those pairs: threshold 0.56,
precision 0.93, recall 0.93, F1 0.93, balanced accuracy 0.94 (the best F1, 0.935, is at 0.49). Known
weakness: the model barely sees numbers, so a sentence about the same thing with a different figure
("69% of homes can get full fibre" against "35% have taken it up") can pass. Use the metric to compare
configs and runs, and read the missed nuggets in the report rather than trusting one question's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from evals import metrics

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

NUGGET_THRESHOLD = 0.56
LOW_RECALL = 0.5  # reports list the answers below this with the nuggets they missed


@dataclass(frozen=True)
class NuggetScore:
    """How one answer fared against its question's nuggets."""

    recall: float | None
    lead_hit: float | None
    stated: list[bool] = field(default_factory=list)
    best_similarity: list[float] = field(default_factory=list)
    first_sentence: str = ""


class NuggetJudge:
    """Scores answers against nuggets by embedding similarity, embedding everything in a few large batches."""

    def __init__(self, embeddings: Embeddings | None = None, *, threshold: float = NUGGET_THRESHOLD):
        if embeddings is None:
            from assistant.embeddings import get_embeddings

            embeddings = get_embeddings()
        self.embeddings = embeddings
        self.threshold = threshold

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for texts, one row each (a zero-row matrix for no texts)."""
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, 0))
        vectors = dict(zip(unique, self.embeddings.embed_documents(unique), strict=True))
        return np.asarray([vectors[text] for text in texts], dtype=float)

    def score(self, answers: Sequence[str], nuggets: Sequence[Sequence[str]]) -> list[NuggetScore]:
        """One score per answer; `nuggets[i]` are the nuggets of the question `answers[i]` replies to.

        An empty answer (a refusal) states nothing, so its nuggets all count as missed.
        """
        if len(answers) != len(nuggets):
            raise ValueError("give one list of nuggets per answer")
        sentences = [metrics.answer_sentences(text) for text in answers]
        all_texts = [s for group in sentences for s in group] + [n for group in nuggets for n in group]
        vectors = self.embed(all_texts)
        lookup = {text: vectors[i] for i, text in enumerate(all_texts)}
        scores = []
        for answer_sentences, question_nuggets in zip(sentences, nuggets, strict=True):
            if not question_nuggets:
                scores.append(NuggetScore(recall=None, lead_hit=None))
                continue
            nugget_vectors = np.asarray([lookup[n] for n in question_nuggets])
            sentence_vectors = np.asarray([lookup[s] for s in answer_sentences])
            similarity = metrics.cosine_matrix(nugget_vectors, sentence_vectors)
            best = similarity.max(axis=1) if similarity.shape[1] else np.zeros(len(question_nuggets))
            scores.append(
                NuggetScore(
                    recall=metrics.nugget_recall(similarity, self.threshold),
                    lead_hit=metrics.lead_hit(similarity, self.threshold),
                    stated=metrics.nugget_hits(similarity, self.threshold),
                    best_similarity=[round(float(b), 3) for b in best],
                    first_sentence=answer_sentences[0] if answer_sentences else "",
                )
            )
        return scores
