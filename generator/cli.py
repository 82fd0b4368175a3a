"""The command line: a thin click layer over the library.

Every ``ArchiveError`` becomes one line on stderr and its exit code.
"""
from __future__ import annotations

import contextlib
import functools
import signal
import sys
from pathlib import Path

import click

from generator import __version__
from generator.config import CONFIG_FILE, load_settings
from generator.errors import ArchiveError, BuildError, CurationError, HarvestError, WriteError
from generator.logsafe import log_line


def say(line: object, err: bool = False) -> None:
    """One line of output: feed and curator text in it cannot start a new line or a workflow command."""
    click.echo(log_line(line), err=err)


def error_lines(error: ArchiveError) -> list:
    """A curation or build error: one line a problem (they name different files); else its one line."""
    if isinstance(error, CurationError) and error.problems:
        return list(error.problems)
    if isinstance(error, BuildError) and error.problems:  # MkDocs' messages; the hooks' one a line
        return [line for problem in error.problems for line in str(problem).splitlines()]
    return [str(error)]


def reports_errors(command):
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ArchiveError as error:
            for line in error_lines(error):
                say(f"error: {line}", err=True)
            sys.exit(error.exit_code)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 100, "max_content_width": 100})
@click.version_option(__version__, prog_name="generator")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default=CONFIG_FILE, show_default=True, help="The archive's config file.")
@click.option("--content", "docs_dir", type=click.Path(file_okay=False, path_type=Path),
              default="content", show_default=True, help="The archive (MkDocs docs dir).")
@click.pass_context
def cli(ctx, config_path, docs_dir):
    """Harvest arXiv into a Markdown archive and build it into a static site."""
    ctx.obj = {"config_path": config_path, "docs_dir": docs_dir}


@contextlib.contextmanager
def stopped_by_signals():
    """SIGTERM stops a harvest as Ctrl-C does: between writes (each file is written whole),
    so the report is printed and the stored position kept."""
    def stop(signum, frame):
        raise KeyboardInterrupt
    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@cli.command()
@click.option("--api-url", help="arXiv API query endpoint [default: from config].")
@click.option("--oai-url", help="arXiv OAI-PMH endpoint, for papers past the API's cap and --since [default: from config].")
@click.option("--category", "categories", multiple=True, help="arXiv category; repeatable [default: from config].")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Backfill every paper changed since this date, through OAI-PMH (an explicit backfill; a plain harvest is already complete).")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests [default: from config, 3].")
@click.option("--page-size", type=click.IntRange(1, 2000), help="Results per request [default: from config, 200].")
@click.option("--max", "max_results", type=click.IntRange(min=1), help="Stop after this many results per category.")
@click.option("--from-file", "from_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Ingest saved API responses instead of the network; repeatable.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@reports_errors
def harvest(obj, api_url, oai_url, categories, since, delay, page_size, max_results, from_files, files):
    """Fetch new and updated papers into the archive.

    Prints a short report (new, updated, withdrawn, errors); on a terminal, a
    progress bar too. Any error exits non-zero, one line each on stderr.

    With --from-file, extra FILES after it are ingested too
    (``--from-file a.xml b.xml``); a file that is no API page is an error
    naming it, and the files after it are still ingested.
    """
    from generator.harvest.client import Client
    from generator.harvest.run import Harvester, ingest_files
    from generator.progress import TerminalProgress
    from generator.archive.store import Archive

    settings = load_settings(obj["config_path"])
    archive = Archive(obj["docs_dir"])
    if (from_files or files) and since:
        raise click.UsageError("--since reads OAI-PMH; it cannot be combined with --from-file")
    if from_files or files:
        report = ingest_files(archive, [*from_files, *files])
    else:
        client = Client(delay=settings.delay if delay is None else delay, retries=settings.retries,
                        timeout=settings.timeout, backoff=settings.backoff,
                        contact=settings.contact or settings.repo_url)
        progress = TerminalProgress() if TerminalProgress.wanted() else None
        harvester = Harvester(archive, client, api_url or settings.api_url, page_size or settings.page_size,
                              max_results or settings.max_results, settings.overlap_days,
                              oai_url or settings.oai_url, progress=progress)
        try:
            with stopped_by_signals():
                if since:
                    report = harvester.backfill(categories or settings.categories, since.date())
                else:
                    report = harvester.run(categories or settings.categories)
        except KeyboardInterrupt:  # Ctrl-C, or the workflow's time limit (SIGINT, then SIGTERM)
            report = harvester.report
            report.requests = client.requests_made
            report.errors.append("harvest: stopped before the end; what it stored is kept, "
                                 "and the next run resumes where it stopped")
        except WriteError as error:  # a full disk: what was stored is kept, and the report is printed
            report = harvester.report
            report.requests = client.requests_made
            report.errors.append(str(error))
        finally:
            if progress:
                progress.close()
    for line in report.lines():
        say(line)
    for error in report.error_lines():
        say(f"error: {error}", err=True)
    if report.errors:
        sys.exit(HarvestError.exit_code)


@cli.command()
@click.option("-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default="mkdocs.yml", show_default=True, help="The MkDocs config.")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site.")
@reports_errors
def build(config_file, site_dir):
    """Build the site from the archive into site/ (MkDocs, strict)."""
    from generator.mkdocs_hooks import build_site
    from generator.config import CONFIG_FILE, load_settings, placeholder_warnings

    # Under GitHub Actions also an annotation on archive.yml's line, seen in the Publish run's summary.
    settings = load_settings(Path(config_file).parent / CONFIG_FILE)
    _warn(placeholder_warnings(settings))
    out = build_site(config_file, site_dir)
    click.echo(f"build: site written to {out}")
    # The artifact's share of GitHub Pages' 1 GB, and when the archive's growth fills it (warned from 80%).
    from generator.site.budget import budget
    report = budget(out)
    say(report.line())
    if settings.volumes:  # `volumes` splits it, and warns when the volumes fill
        say(f"build: archive.yml names {len(settings.volumes)} volume(s) in deploy.volumes: `make volumes` "
            f"splits what passes {settings.limit_mb:g} MB")
    else:
        _warn(report.warnings())


@cli.command()
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default="site",
              show_default=True, help="The built site (the main site after the split).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="volumes", show_default=True,
              help="Where each volume's site is written, as OUT/NAME/ (emptied first).")
@click.pass_obj
@reports_errors
def volumes(obj, site_dir, out):
    """Split the built site across GitHub Pages sites when it outgrows one (after `build`).

    A site within the limit (archive.yml's deploy.limit_mb, GitHub Pages' 1 GB
    by default) is left as it is. One over it moves whole months of paper
    pages, oldest first, into the repositories named in deploy.volumes (sites
    of the same owner: https://OWNER.github.io/NAME/), each written to
    OUT/NAME/ for the Publish workflow to push. The 404 pages send a moved
    paper's address to its volume and back; the search index stays whole in
    the main site. Volumes that cannot hold the rest are an error.
    """
    from generator.deploy.volumes import split

    result = split(site_dir, out, load_settings(obj["config_path"]))
    for line in result.lines():
        say(line)
    _warn(result.warnings())


@cli.command()
@click.pass_obj
@reports_errors
def check(obj):
    """Check the curation: topic files and curation blocks, every problem with its line.

    Problems fail the check (and the build). Warnings do not: they name what
    the build removes from a topic's introduction (a script, an event
    handler, a javascript: link), so its curator learns why.

    Under GitHub Actions (GITHUB_ACTIONS=true) each one is also printed as an
    annotation (::error file=PATH,line=N::message), shown on that line in
    the pull request's "Files changed" tab.
    """
    from generator.curate.annotations import annotation, in_github_actions
    from generator.curate.review import check_archive
    from generator.errors import CurationError

    from generator.archive.parse_cache import gc_paused, project_cache

    try:
        with gc_paused():  # the front matter cache, as `topics` uses it: only what changed is parsed
            cache = project_cache(obj["config_path"])
            try:
                result = check_archive(obj["docs_dir"], cache)
            finally:
                cache.save()
    except CurationError as error:
        _warn(error.warnings)
        if in_github_actions():  # on the file and line, in the pull request's "Files changed"
            for problem in error.problems:
                click.echo(annotation(problem))  # percent-encoded by GitHub's rules
        raise
    warnings = result.warnings  # Problems: the annotations take their path and line as they are
    _warn(warnings)
    said = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    click.echo(f"check: {len(result.topics)} topics and {len(result.curations)} curated papers, no problems{said}")


def _warn(warnings: list) -> None:
    from generator.curate.annotations import annotation, in_github_actions

    for line in warnings:
        say(f"warning: {line}", err=True)
        if in_github_actions():
            click.echo(annotation(line, "warning"))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text for a terminal, markdown for a pull request, json for scripts.")
@click.option("--diff", "rev", is_flag=False, flag_value="merge-base", metavar="REV",
              help="Compare with git revision REV (a branch, a commit); alone: the merge base with "
                   "archive.yml's branch.")
@click.option("--candidates", "slug", metavar="SLUG", help="The papers most like this topic's that it does not list.")
@click.option("--count", type=click.IntRange(min=0), default=3, show_default=True,
              help="Candidates per topic in the report (0: none, faster); with --candidates, how many.")
@click.option("--evaluate", is_flag=True,
              help="Precision, recall and F1 of each topic against the gold set (gold/topics.yml), with the "
                   "papers listed wrongly and missed.")
@click.option("--part", type=click.Choice(["held-out", "tune", "all"]), default="held-out", show_default=True,
              help="With --evaluate: the held-out part (scored by a model of the tune part), the tune "
                   "part (by 5-fold cross-validation), or all of the gold set (by 5-fold cross-validation: "
                   "the shipped model's figure on papers it has not seen).")
@click.pass_obj
@reports_errors
def topics(obj, fmt, rev, slug, count, evaluate, part):
    """Report on the topics: papers each lists and why, papers in none, candidates; or a change's diff.

    Counts are the topic pages' own: the report uses the build's selection.
    With a gold set, --diff also says how the change moves its held-out figures.
    """
    from generator.curate import commands

    if evaluate:
        click.echo(commands.evaluate(obj["docs_dir"], fmt, part), nl=False)
        return
    click.echo(commands.topics(obj["docs_dir"], obj["config_path"], fmt, rev, slug, count), nl=False)


@cli.command()
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The harvest's output: its `harvest: ` line ends the commit's subject.")
@click.option("--reason", envvar="HARVEST_REASON", default="", show_envvar=True,
              help="Why the harvest failed, for the commit message.")
@click.option("--branch", envvar="GITHUB_REF_NAME", show_envvar=True,
              help="The branch to push to [default: archive.yml's branch].")
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option("--attempts", type=click.IntRange(min=1), default=5, show_default=True,
              help="Pushes to try: a refused one is redone from a new fetch.")
@click.pass_obj
@reports_errors
def land(obj, log_file, reason, branch, remote, attempts):
    """Commit and push what the harvest changed, onto the branch as it is on the remote now.

    Should the branch have moved on the remote since the harvest began (a
    curation pull request merged), each paper the harvest changed gets the
    harvest's keys and abstract re-applied onto the remote's file, every key a
    person wrote kept byte for byte. Nothing changed: no commit.
    """
    import datetime

    from generator.harvest.land import land as land_harvest

    summary = ""
    if log_file and log_file.exists():
        lines = [line for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines()
                 if line.startswith("harvest: ")]
        summary = lines[-1].removeprefix("harvest: ") if lines else ""
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    message = "\n\n".join(filter(None, [
        f"Harvest {day}: {summary or 'stopped early, the next run resumes'}",
        "Papers harvested from the arXiv API by the Publish workflow (make harvest).", reason]))
    branch = branch or load_settings(obj["config_path"]).branch
    land_harvest(Path.cwd(), branch, message, remote=remote, attempts=attempts, say=say)


def main():
    cli(prog_name="python -m generator")
