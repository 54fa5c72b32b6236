"""The interactive review: segment-by-segment coding with suggestions (state in session.py;
the terminal side lives in cli/review_cmd.py)."""

from .session import Choice, ReviewSession, View

__all__ = ["Choice", "ReviewSession", "View"]
