"""Import articles from ninjs, NewsML-G2, WordPress (WXR), RSS, Atom, CSV,
scraped text or saved article pages.

Safe to re-run: records are matched on their source identity (Article.source_uri);
unchanged ones are left alone, and articles edited since they were imported are
never overwritten. See docs/import-formats.md.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.ingest.detect import FORMATS, NAMES
from articles.ingest.imports import NoSuchSection, NoSuchTimeZone, import_paths
from articles.models import Article
from articles.storage import storage_failed


class Command(BaseCommand):
    help = (
        "Import articles from files or folders ('-' reads standard input). "
        "Formats, detected from the content: "
        + ", ".join(f"{NAMES[name]} [{name}]" for name in FORMATS)
        + ". Safe to re-run: records are matched on their source identity."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--format",
            choices=("auto", *FORMATS),
            default="auto",
            help="Skip detection: read every file as this format.",
        )
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
            "--time-zone",
            metavar="ZONE",
            help="The source's time zone, for times that give none (an IANA name "
            "such as Europe/Rome; default: the site's TIME_ZONE).",
        )
        parser.add_argument(
            "--fetch-images",
            action="store_true",
            help="Download remote images (http/https).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        show_bar = verbosity >= 1 and sys.stderr.isatty()
        with tqdm(unit=" records", disable=not show_bar, file=sys.stderr) as bar:
            try:
                result = import_paths(
                    options["paths"],
                    format=options["format"],
                    dry_run=options["dry_run"],
                    section=options["section"],
                    default_author=options["default_author"],
                    status=options["status"],
                    media_dir=options["media_dir"],
                    fetch_images=options["fetch_images"],
                    time_zone=options["time_zone"],
                    on_source=self.show_source if verbosity >= 1 else None,
                    on_read=lambda item: bar.update(1),
                    on_outcome=self.show_outcome if verbosity >= 2 else None,
                    read_ahead=True,
                )
            except (NoSuchSection, NoSuchTimeZone) as exc:
                raise CommandError(str(exc)) from exc
            except Exception as exc:
                if not storage_failed(exc):
                    raise
                raise CommandError(
                    f"Media storage failed, the import stopped: {exc}. The open "
                    "batch was rolled back and earlier ones are kept; run the "
                    "import again once the storage is back (it is safe to re-run)."
                ) from exc
        if verbosity >= 1 and result.waiting:
            self.stdout.write(
                f"Follow-up work queued for the task workers: {result.waiting} "
                "(related links, renditions; docs/tasks.md)."
            )
        self.report(result, options["dry_run"], verbosity)

    def show_source(self, source, fmt):
        self.stdout.write(f"{source}: {NAMES[fmt]}")

    def show_outcome(self, item, outcome):
        self.stdout.write(f"  {item.position}: {outcome}")

    def report(self, result, dry_run, verbosity):
        prefix = "Dry run (nothing written): would have " if dry_run else ""
        summary = (
            f"{prefix}{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.skipped} skipped, "
            f"{result.failed} failed."
        )
        if verbosity >= 1:
            for problem in result.skips:
                self.stdout.write(f"skipped {problem}")
            for problem in result.warnings:
                self.stdout.write(self.style.WARNING(f"warning {problem}"))
            if result.zoneless:
                self.stdout.write(self.style.WARNING(f"{result.zoneless_note}."))
        for problem in result.failures:
            self.stderr.write(f"failed {problem}")
        if result.failed:
            raise CommandError(
                f"{summary} {result.failed} record(s) failed; see above."
            )
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary))
