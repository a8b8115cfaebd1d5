"""The learned scorer shipped with diemtin: two small gradient-boosted tree models.

- ``bigram_model`` predicts, for each syllable bigram of a cluster, how likely a human
  summary of the cluster is to contain it (features: ``BIGRAM_FEATURES``).
- ``sentence_model`` predicts the share of a sentence's bigrams a human summary reuses
  (features: ``FEATURES``).

Both were trained by ``python tools/train_scorer.py`` on the dev files only, and load
offline from the package. Nothing here reads reference summaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from diemtin.errors import DiemtinError
from diemtin.summarizer.features import BIGRAM_FEATURES, FEATURES

DEFAULT_MODEL = Path(__file__).parent / "models" / "scorer.joblib"


@dataclass(slots=True)
class Scorer:
    bigram_model: object
    sentence_model: object
    features: tuple[str, ...] = FEATURES
    bigram_features: tuple[str, ...] = BIGRAM_FEATURES
    trained_on: list[str] = field(default_factory=list)


def save_scorer(scorer: Scorer, path: Path) -> None:
    """Write the scorer as a plain dict of scikit-learn models and names, so renaming diemtin's
    own classes never breaks a saved file."""
    import joblib  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({name: getattr(scorer, name) for name in Scorer.__slots__}, path, compress=3)


@lru_cache(maxsize=4)
def load_scorer(path: Path = DEFAULT_MODEL) -> Scorer:
    """Load a scorer once per process; fail with a message if it does not fit this code."""
    import joblib  # noqa: PLC0415

    if not Path(path).exists():
        raise DiemtinError(
            f"the sentence scorer {path} is missing; reinstall diemtin or train one with "
            "python tools/train_scorer.py"
        )
    scorer = Scorer(**joblib.load(path))
    if tuple(scorer.features) != FEATURES or tuple(scorer.bigram_features) != BIGRAM_FEATURES:
        raise DiemtinError(
            f"the scorer {path} was trained with other features than this version computes; "
            "retrain it with python tools/train_scorer.py"
        )
    return scorer
