"""The heatmap of a matrix (matplotlib, drawn off-screen)."""

from __future__ import annotations

from pathlib import Path

from .files import write_with

_MAX_ANNOTATED_CELLS = 600


def write_heatmap(path: Path, frame, title: str, fmt: str) -> None:
    """A labelled heatmap of `frame` without its totals: readable code labels, a colour bar,
    and the counts in the cells when they fit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    body = frame.drop(index="Total", columns="Total", errors="ignore")
    values = body.to_numpy(dtype=float)
    rows, cols = values.shape
    label_width = max([len(str(i)) for i in body.index] + [10]) * 0.075
    width = min(30.0, 2.0 + label_width + 0.55 * max(cols, 1))
    height = min(40.0, 1.8 + 0.32 * max(rows, 1))
    figure, axes = plt.subplots(figsize=(width, height), layout="constrained")
    image = axes.imshow(values if values.size else np.zeros((1, 1)), aspect="auto",
                        cmap="Blues", vmin=0)
    axes.set_xticks(range(cols), [str(c) for c in body.columns], rotation=45, ha="right",
                    fontsize=8)
    axes.set_yticks(range(rows), [str(i) for i in body.index], fontsize=8)
    axes.set_title(title, fontsize=10, loc="left")
    bar = figure.colorbar(image, ax=axes, shrink=0.8)
    if np.all(np.mod(values, 1) == 0):
        from matplotlib.ticker import MaxNLocator

        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    bar.set_label(frame.attrs.get("count", "count"), fontsize=8)
    if 0 < values.size <= _MAX_ANNOTATED_CELLS:
        top = values.max() or 1
        for (row, col), value in np.ndenumerate(values):
            if value:
                text = f"{value:g}"
                axes.text(col, row, text, ha="center", va="center", fontsize=7,
                          color="white" if value > top * 0.6 else "black")
    write_with(path, lambda tmp: figure.savefig(tmp, format=fmt, dpi=150))
    plt.close(figure)
