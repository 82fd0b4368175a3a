"""What a harvest did: counts, what needs a look, and how the archive compares with arXiv's count."""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.archive.models import Paper
from generator.archive.store import Outcome


@dataclass
class Report:
    """What one harvest did; ``errors`` are one line each, naming the URL or file."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0
    stale: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem_keys: set = field(default_factory=set, repr=False)
    counts: list[tuple[str, int, "int | None"]] = field(default_factory=list)  # (category, held, arXiv's count)
    limit: int | None = None  # the run's max_results: what it stopped at, not fetched by the next run

    def add(self, paper: Paper, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new.append(paper.versioned_id)
        elif outcome is Outcome.UPDATED:
            self.updated.append(paper.versioned_id)
        elif outcome is Outcome.UNCHANGED:
            self.unchanged += 1
        else:
            self.stale += 1
        if outcome in (Outcome.NEW, Outcome.UPDATED) and paper.withdrawn:
            self.withdrawn.append(paper.versioned_id)

    def record_problems(self, problems) -> None:
        """A record's problem once, though a restarted list reads its page again."""
        for problem in problems:
            if problem.key not in self.problem_keys:
                self.problem_keys.add(problem.key)
                self.errors.append(str(problem))

    def error_lines(self) -> list[str]:
        """Each error once: a page read again (a retry, a restarted list) repeats its problems."""
        return list(dict.fromkeys(self.errors))

    def summary(self) -> str:
        errors = len(self.error_lines())
        return (f"{len(self.new)} new, {len(self.updated)} updated, {len(self.withdrawn)} withdrawn, "
                f"{errors} error{'s' if errors != 1 else ''} "
                f"({self.unchanged} unchanged, {self.stale} older than the archive's copy, "
                f"{self.requests} request{'s' if self.requests != 1 else ''})")

    def lines(self) -> list[str]:
        """The short report a person reads: the counts, then what needs a look."""
        lines = [f"harvest: {self.summary()}"]
        if self.withdrawn:
            lines.append(f"withdrawn: {', '.join(self.withdrawn)}")
        lines.extend(count_line(*count, limit=self.limit) for count in self.counts)
        lines.extend(f"note: {note}" for note in self.notes)
        return lines


def count_line(category: str, held: int, total: int | None, limit: int | None = None) -> str:
    """``cs.DC: 31,240 of 31,240 papers``, and what a shortfall means (``limit``: the run's max_results)."""
    if total is None:
        return f"{category}: {held:,} papers (arXiv's count not seen yet)"
    line = f"{category}: {held:,} of {total:,} papers"
    if held < total:
        then = f"this harvest stopped at {limit:,} a category" if limit else "the next harvest fetches them"
        line += f" ({total - held:,} missing; {then})"
    return line
