"""Rewrite the command reference (docs/commands.md) from the CLI's own --help (`make docs`)."""
from pathlib import Path
import re
import sys

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.cli import cli  # noqa: E402

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "commands.md"
START, END = "<!-- cli-help:start -->", "<!-- cli-help:end -->"


def reference() -> str:
    blocks = []
    for command in [()] + [(name,) for name in cli.commands]:
        output = CliRunner().invoke(cli, [*command, "--help"], prog_name="python -m generator").output.strip()
        words = " ".join(["python -m generator", *command, "--help"])
        blocks.append(f"```text\n$ {words}\n{output}\n```")
    return "\n\n".join(blocks)


text = REFERENCE.read_text(encoding="utf-8")
if START not in text or END not in text:
    sys.exit(f"error: {REFERENCE}: no {START} … {END} block to rewrite")
new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda m: f"{START}\n{reference()}\n{END}", text, flags=re.S)
REFERENCE.write_text(new, encoding="utf-8")
