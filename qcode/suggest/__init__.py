"""Code suggestions: lemma rules from the codebook, a model that learns from the coding,
an honest evaluation of both, and the order in which to review them."""

from .evaluate import Evaluation, evaluate
from .model import DEFAULT_MIN_POSITIVES, TrainReport, ensure_model
from .review import decide, listing, review_order
from .runner import SuggestReport, suggest

__all__ = ["DEFAULT_MIN_POSITIVES", "Evaluation", "SuggestReport", "TrainReport", "decide",
           "ensure_model", "evaluate", "listing", "review_order", "suggest"]
