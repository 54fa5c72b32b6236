"""Code suggestions: lemma rules from the codebook, a model that learns from the coding,
an honest evaluation of both, and the order in which to review them.

Names load on first use, so listing or reviewing suggestions does not import numpy.
"""

from importlib import import_module
from typing import Any

_WHERE = {
    "DEFAULT_MIN_POSITIVES": "model", "TrainReport": "model", "ensure_model": "model",
    "Evaluation": "evaluate", "evaluate": "evaluate",
    "decide": "review", "listing": "review", "review_order": "review",
    "SuggestReport": "runner", "suggest": "runner",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value  # also shadows the submodule `evaluate` by its function
        return value
    raise AttributeError(f"module 'qcode.suggest' has no attribute '{name}'")
