"""Baseline for `qcode --help`: a bare two-command Typer app.

    python -m bench.baselines.typer_app --help
"""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str) -> None:
    """Say hello."""
    print(f"hello {name}")


@app.command()
def bye(name: str) -> None:
    """Say bye."""
    print(f"bye {name}")


if __name__ == "__main__":
    app()
