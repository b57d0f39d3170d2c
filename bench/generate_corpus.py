"""Write a synthetic news archive as ninjs 2.x JSON Lines (see bench/corpus.py).

    python bench/generate_corpus.py --articles 10000 --seed 1 --stories \\
        --output corpus.jsonl --truth truth.jsonl

The same seed always gives the same articles, and the first K articles of a
corpus are the corpus of K articles: `--offset K` writes only articles K and up,
to import a large corpus in stages. Without `--output` it writes to standard
output. With `--stories`, `--truth` lists the clustered articles as JSON Lines
{"uri", "story"}. Standard library only: it needs no database.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--offset", type=int, default=0, help="Start at this article number."
    )
    parser.add_argument("--stories", action="store_true", help="Add story clusters.")
    parser.add_argument("--output", "-o", type=Path, help="Default: stdout.")
    parser.add_argument(
        "--truth", type=Path, help="With --stories: where to list clusters."
    )
    args = parser.parse_args()
    if args.articles < 0 or not 0 <= args.offset <= args.articles:
        parser.error("need 0 <= --offset <= --articles")
    if args.truth and not args.stories:
        parser.error("--truth needs --stories")
    try:
        out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
        truth = args.truth.open("w", encoding="utf-8") if args.truth else None
    except OSError as exc:
        parser.error(f"cannot write {exc.filename}: {exc.strerror}")
    try:
        counts = corpus.write(
            out,
            args.articles,
            seed=args.seed,
            stories=args.stories,
            offset=args.offset,
            truth=truth,
        )
    finally:
        if args.output:
            out.close()
        if truth:
            truth.close()
    if args.output:
        print(json.dumps({"output": str(args.output), **counts}), file=sys.stderr)


if __name__ == "__main__":
    main()
