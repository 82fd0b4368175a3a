"""Lines of feed or curator text printed so that a CI runner reads them as text, never as a command.

GitHub's runner takes a log line as a workflow command when, after leading
whitespace, it starts with ``::`` (``::add-mask::``, ``::warning ...``,
``::stop-commands::``), and its older form when ``##[`` appears anywhere in
the line. A title, an OAI identifier or a topic introduction can hold a
newline followed by either, so every line the CLI prints passes through
``log_line``: one logical line stays one physical line (line breaks and
other control characters are shown escaped, as ``\\n``), the old form's
marker is broken up, and a line that would start a command is prefixed.
"""
from __future__ import annotations

import re

# Every character a terminal or the runner could take as a line break or a control:
# C0 and C1 controls (tab excepted), DEL, and Unicode's line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def _visible(match: re.Match) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def log_line(text: object) -> str:
    """``text`` as one printable line that starts no workflow command."""
    line = _CONTROL.sub(_visible, str(text)).replace("##[", "#\\#[")
    return "> " + line if line.lstrip().startswith("::") else line
