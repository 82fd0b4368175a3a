"""A progress bar for long harvests, on a terminal only (never in logs or CI output)."""
from __future__ import annotations

import sys

import click

from generator.logsafe import log_line


class TerminalProgress:
    """A ``Harvester`` progress callback: one click progress bar per category."""

    def __init__(self, file=None):
        self.file = file or sys.stdout
        self.category: str | None = None
        self.bar = None

    @staticmethod
    def wanted(file=None) -> bool:
        return (file or sys.stdout).isatty()

    def __call__(self, category: str, done: int, total: int | None) -> None:
        if category != self.category:
            self.close()
            self.category = category
            self.bar = click.progressbar(length=max(total or 0, done, 1), label=log_line(category),
                                         show_pos=True, file=self.file)
            self.bar.__enter__()
        self.bar.length = max(total or 0, done, 1)
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
