"""The library's errors: one small hierarchy, each carrying its context.

The CLI turns any ``ArchiveError`` into ``str(error)`` on one line and
``error.exit_code``; nothing else in the package prints or exits.
"""
from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 1

    def __str__(self) -> str:  # one line, always
        return " ".join(super().__str__().split())


class ConfigError(ArchiveError):
    """The archive's config file is missing, malformed or invalid.

    ``problems`` holds every problem found, each already formatted as
    ``path:line: message``, so a maintainer fixes them all in one go.
    """

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class PaperFileError(ArchiveError):
    """A paper's Markdown file in the archive cannot be read."""

    def __init__(self, path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class CurationError(ArchiveError):
    """Curation problems (topics, editorial fields), all of them, as ``path:line: message``.

    ``problems`` and ``warnings`` hold ``yamlcheck.Problem`` (path, line, message;
    ``str()`` gives ``path:line: message``) or plain strings.
    """

    exit_code = 5

    def __init__(self, problems: list, warnings: list = ()):
        self.problems = list(problems)
        self.warnings = list(warnings)  # reported beside the problems; alone they stop nothing
        super().__init__(f"{len(self.problems)} curation problem(s): " + "; ".join(map(str, self.problems)))

    def __str__(self) -> str:  # one problem a line: they name different files
        return "\n".join(map(str, self.problems))


class HarvestError(ArchiveError):
    """A harvest failed; carries the URL (or file) and the attempt that failed."""

    exit_code = 3

    def __init__(self, url: str, message: str, attempt: int | None = None):
        self.url, self.message, self.attempt = url, message, attempt
        super().__init__(url, message)

    def __str__(self) -> str:
        tries = f" (attempt {self.attempt})" if self.attempt else ""
        return " ".join(f"{self.url}: {self.message}{tries}".split())


class WriteError(ArchiveError):
    """A file could not be written (a full disk, a directory where a file belongs, no permission)."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: cannot be written: {reason}")


class UnsafePathError(HarvestError):
    """A path under the archive is a symbolic link: the harvest neither follows it nor writes through it."""

    def __init__(self, path, what: str = "a symbolic link"):
        super().__init__(str(path), f"is {what}; the harvest neither reads nor writes through it")


class FeedError(HarvestError):
    """A response that is not a usable arXiv Atom page (not Atom, truncated, no feed)."""


class ArxivAPIError(HarvestError):
    """arXiv answered with its error feed (an entry id under https://arxiv.org/api/errors)."""


class OAIError(HarvestError):
    """OAI-PMH answered with an error code (``badArgument``, ``cannotDisseminateFormat``...).

    Each is an answer to the request as asked, not a passing fault: asking
    again gets it again, so none is retried. (``noRecordsMatch`` is an empty
    list, not an error; ``badResumptionToken`` is met by restarting the list.)
    """

    def __init__(self, url: str, code: str, text: str):
        self.code = code
        super().__init__(url, f"OAI-PMH error {code or '(no code)'}: {text}".rstrip(": "))


class BuildError(ArchiveError):
    """The site build (MkDocs or the search indexer) failed.

    ``problems`` are what MkDocs and the hooks reported, one a line, each
    naming its file.
    """

    exit_code = 4

    def __init__(self, message: str, problems: list[str] | None = None):
        self.message, self.problems = message, list(problems or [])
        super().__init__(message)

    def __str__(self) -> str:
        return "\n".join(self.problems) if self.problems else " ".join(self.message.split())


class GitError(ArchiveError):
    """A git command that reading a revision needs failed (an unknown revision, not a repository)."""

    def __init__(self, command: str, message: str):
        self.command, self.message = command, message
        super().__init__(f"git {command}: {message}")


class DeployError(ArchiveError):
    """The built site cannot be split into the configured volumes (docs/running.md)."""

    exit_code = 6
