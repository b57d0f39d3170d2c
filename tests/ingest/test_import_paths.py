"""import_paths: the one call behind import_articles, and parsers that only
parse."""

from pathlib import Path

import pytest

from articles.ingest.detect import FORMATS, NAMES
from articles.ingest.imports import NoSuchSection, import_paths
from articles.ingest.management.commands.import_articles import Command
from articles.ingest.sources import sources
from articles.models import Article, PendingWork
from tests.factories import make_section

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ONE_OF_EACH = [
    "ninjs1_harbour.json",
    "ninjs2.jsonl",
    "wordpress.xml",
    "feed.rss",
    "feed.atom",
    "articles.csv",
    "newsml/versions.xml",
    "pages/linked_data.html",
]


@pytest.mark.django_db
class TestImportPaths:
    def test_returns_the_counts_and_the_follow_up_left_waiting(self):
        result = import_paths([FIXTURES / "ninjs1_harbour.json"])
        assert (result.created, result.failed) == (1, 0)
        assert result.touched == [Article.objects.get().pk]
        assert result.waiting == PendingWork.objects.count() > 0

    def test_a_second_run_finds_everything_unchanged(self):
        import_paths([FIXTURES / "ninjs1_harbour.json"])
        result = import_paths([FIXTURES / "ninjs1_harbour.json"])
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)

    def test_a_dry_run_counts_what_it_would_do_and_writes_nothing(self):
        result = import_paths([FIXTURES / "ninjs1_harbour.json"], dry_run=True)
        assert result.created == 1
        assert result.waiting == 0
        assert not Article.objects.exists()
        assert not PendingWork.objects.exists()

    def test_an_unknown_section_is_refused_before_anything_is_read(self):
        make_section(name="Sport", slug="sport")
        with pytest.raises(NoSuchSection, match=r"No section 'nope' \(sections: "):
            import_paths([FIXTURES / "ninjs1_harbour.json"], section="nope")
        assert not Article.objects.exists()

    def test_reports_each_file_and_each_outcome_as_it_goes(self):
        seen, read, outcomes = [], [], []
        import_paths(
            [FIXTURES / "ninjs1_harbour.json"],
            on_source=lambda source, fmt: seen.append(fmt),
            on_read=read.append,
            on_outcome=lambda item, outcome: outcomes.append(outcome),
        )
        assert seen == ["ninjs"]
        assert len(read) == 1
        assert outcomes == ["created"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ONE_OF_EACH)
def test_parsers_read_without_the_database(name, django_assert_num_queries):
    with django_assert_num_queries(0):
        items = []
        for source in sources([FIXTURES / name]):
            with source.open() as stream:
                items += source.records(stream, source.format(stream))
    assert items


def test_the_commands_help_names_every_format_and_the_time_zone():
    text = " ".join(
        Command().create_parser("manage.py", "import_articles").format_help().split()
    )
    for name in FORMATS:
        assert f"{NAMES[name]} [{name}]" in text
    assert "--time-zone ZONE The source's time zone, for times that give none" in text
