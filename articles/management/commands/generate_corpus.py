"""Write a synthetic news archive as ninjs 2.x JSON Lines (see articles/corpus.py).

    python manage.py generate_corpus --articles 10000 --seed 1 --stories \\
        --output corpus.jsonl --truth truth.jsonl

The same seed always gives the same articles, and the first K articles of a
corpus are the corpus of K articles: `--offset K` writes only articles K and up,
to import a large corpus in stages. Without `--output` it writes to standard
output. With `--stories`, `--truth` lists the clustered articles as JSON Lines
{"uri", "story"}.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import corpus


class Command(BaseCommand):
    help = "Write a synthetic ninjs corpus (JSON Lines) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--offset", type=int, default=0, help="Start at this article number."
        )
        parser.add_argument(
            "--stories", action="store_true", help="Add story clusters."
        )
        parser.add_argument("--output", "-o", type=Path, help="Default: stdout.")
        parser.add_argument(
            "--truth", type=Path, help="With --stories: where to list clusters."
        )

    def handle(self, *, articles, seed, offset, stories, output, truth, **options):
        if articles < 0 or not 0 <= offset <= articles:
            raise CommandError("Need 0 <= --offset <= --articles.")
        if truth and not stories:
            raise CommandError("--truth needs --stories.")
        out = output.open("w", encoding="utf-8") if output else sys.stdout
        truth_file = truth.open("w", encoding="utf-8") if truth else None
        try:
            counts = corpus.write(
                out,
                articles,
                seed=seed,
                stories=stories,
                offset=offset,
                truth=truth_file,
            )
        finally:
            if output:
                out.close()
            if truth_file:
                truth_file.close()
        if output and options["verbosity"]:
            self.stderr.write(json.dumps({"output": str(output), **counts}))
