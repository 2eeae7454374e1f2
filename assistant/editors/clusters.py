"""Questions grouped by meaning: agglomerative clustering of their embeddings on cosine distance.

Average linkage joins two groups while the mean cosine distance between their questions is under the
threshold. With the bundled all-MiniLM-L6-v2 model, rewordings of one question sit at a cosine similarity
of about 0.6 to 0.9 and questions on different subjects under 0.3; a distance of 0.55 (similarity 0.45)
keeps one topic together and different topics apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings
from scipy.cluster.hierarchy import fcluster, linkage

from assistant.answer import OutcomeScore
from assistant.outcome_scoring import OutcomeScorer

CLUSTER_DISTANCE = 0.55


@dataclass(frozen=True)
class Group:
    """The positions (in the input) of one group's questions, its most central first."""

    members: list[int]
    outcome: OutcomeScore | None


def normalised(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms == 0, 1.0, norms)


def cluster_labels(vectors: np.ndarray, *, distance: float = CLUSTER_DISTANCE) -> list[int]:
    """A group label for each (normalised) vector."""
    if len(vectors) == 0:
        return []
    if len(vectors) == 1:
        return [1]
    tree = linkage(vectors, method="average", metric="cosine")
    return [int(label) for label in fcluster(tree, t=distance, criterion="distance")]


def group_questions(
    questions: Sequence[str], embeddings: Embeddings, *, distance: float = CLUSTER_DISTANCE
) -> list[Group]:
    """The questions grouped by meaning, each group led by its most central question and named by the
    outcome nearest its centre."""
    if not questions:
        return []
    vectors = normalised(embeddings.embed_documents(list(questions)))
    scorer = OutcomeScorer(embeddings)
    by_label: dict[int, list[int]] = {}
    for position, label in enumerate(cluster_labels(vectors, distance=distance)):
        by_label.setdefault(label, []).append(position)
    groups = []
    for members in by_label.values():
        block = vectors[members]
        centrality = (block @ block.T).mean(axis=1)
        ordered = [members[int(i)] for i in np.argsort(-centrality, kind="stable")]
        centre = block.mean(axis=0)
        nearest = scorer.nearest(centre / (np.linalg.norm(centre) or 1.0), limit=1)
        groups.append(Group(ordered, nearest[0] if nearest else None))
    return groups
