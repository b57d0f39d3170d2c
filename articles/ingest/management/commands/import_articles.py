"""Import articles from ninjs, WordPress (WXR), RSS, Atom, CSV or scraped text.

Safe to re-run: records are matched on their source identity (Article.source_uri);
unchanged ones are left alone, and articles edited since they were imported are
never overwritten. See docs/import-formats.md.
"""

import sys
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from articles.ingest.detect import FORMATS, NAMES, UnknownFormat
from articles.ingest.loader import Loader, Problem
from articles.ingest.records import SourceError
from articles.ingest.sources import sources
from articles.models import Article, PendingWork, Section


class Command(BaseCommand):
    help = (
        "Import articles from files or folders (ninjs, WXR, RSS, Atom, CSV, scraped "
        "text; '-' reads standard input). Safe to re-run: records are matched on "
        "their source identity."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--format", choices=("auto", *FORMATS), default="auto")
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then roll it back."
        )
        parser.add_argument("--section", metavar="SLUG", help="Put every article here.")
        parser.add_argument(
            "--default-author",
            metavar="NAME",
            default="",
            help="For records with no byline.",
        )
        parser.add_argument(
            "--status",
            choices=Article.Status.values,
            help="Override the source's state.",
        )
        parser.add_argument(
            "--media-dir", metavar="DIR", help="Where local image paths are resolved."
        )
        parser.add_argument(
            "--fetch-images",
            action="store_true",
            help="Download remote images (http/https).",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        section = None
        if options["section"]:
            section = Section.objects.filter(slug=options["section"]).first()
            if section is None:
                slugs = (
                    ", ".join(Section.objects.values_list("slug", flat=True)) or "none"
                )
                raise CommandError(
                    f"No section {options['section']!r} (sections: {slugs})."
                )
        loader = Loader(
            section=section,
            default_author=options["default_author"].strip(),
            status=options["status"],
            media_dir=options["media_dir"],
            fetch_images=options["fetch_images"],
            write_files=not options["dry_run"],
            on_outcome=self.show_outcome if self.verbosity >= 2 else None,
            defer_search=True,
        )
        show_bar = self.verbosity >= 1 and sys.stderr.isatty()
        with transaction.atomic() if options["dry_run"] else nullcontext():
            with tqdm(unit=" records", disable=not show_bar, file=sys.stderr) as bar:
                try:
                    for source in sources(options["paths"]):
                        self.import_source(source, options["format"], loader, bar)
                    loader.commit()
                except BaseException as exc:
                    loader.abort(exc)
                    raise
            # Related links, renditions and search vectors are done by tasks,
            # for this run's articles and any an interrupted run left waiting
            # (articles/followup.py). A dry run enqueues nothing.
            loader.hand_over_follow_up()
            if options["dry_run"]:
                transaction.set_rollback(True)
        waiting = 0 if options["dry_run"] else PendingWork.objects.count()
        if self.verbosity >= 1 and waiting:
            self.stdout.write(
                f"Follow-up work queued for the task workers: {waiting} "
                "(related links, renditions; docs/tasks.md)."
            )
        self.report(loader.result, options["dry_run"])

    def import_source(self, source, forced, loader, bar):
        result = loader.result
        try:
            stream = source.open()
        except OSError as exc:
            result.fail(str(source), "", f"cannot read: {exc.strerror or exc}")
            return
        if source.encoding_note:
            result.warnings.append(Problem(str(source), "", source.encoding_note))
        with stream:
            try:
                fmt = source.format(stream, forced)
            except UnknownFormat as exc:
                if source.from_folder:
                    result.skip(str(source), "", f"not imported: {exc}")
                else:
                    result.fail(str(source), "", str(exc))
                return
            except SourceError as exc:  # a UTF-16 file that does not decode
                result.fail(str(source), exc.position, exc.message)
                return
            if self.verbosity >= 1:
                self.stdout.write(f"{source}: {NAMES[fmt]}")
            try:
                for item in source.records(stream, fmt, known_tags=loader.known_tags):
                    loader.handle(item, source)
                    bar.update(1)
            except SourceError as exc:
                result.fail(str(source), exc.position, exc.message)
            except (OSError, UnicodeError, RecursionError, MemoryError) as exc:
                result.fail(str(source), "", f"cannot read: {exc}")

    def show_outcome(self, item, outcome):
        self.stdout.write(f"  {item.position}: {outcome}")

    def report(self, result, dry_run):
        prefix = "Dry run (nothing written): would have " if dry_run else ""
        summary = (
            f"{prefix}{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.skipped} skipped, "
            f"{result.failed} failed."
        )
        if self.verbosity >= 1:
            for problem in result.skips:
                self.stdout.write(f"skipped {problem}")
            for problem in result.warnings:
                self.stdout.write(self.style.WARNING(f"warning {problem}"))
        for problem in result.failures:
            self.stderr.write(f"failed {problem}")
        if result.failed:
            raise CommandError(
                f"{summary} {result.failed} record(s) failed; see above."
            )
        if self.verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary))
