"""The shared side-by-side harness reaches the benchmark hooks through manage.py."""

import json
import os

from tests.security.test_production_posture import ROOT
from tests.security.test_production_posture import manage as run

FEED = ROOT / "tests" / "fixtures" / "ninjs2.jsonl"


def manage(*args, env):
    result = run(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_hooks_answer_with_bench_settings_only(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    manage("migrate", "-v0", env=env)
    manage("import_articles", str(FEED), "--default-author", "Desk", env=env)
    lines = [json.loads(line) for line in manage("bench_urlmap", env=env).splitlines()]
    assert lines and all(set(line) == {"uri", "path"} for line in lines)
    timing = json.loads(manage("bench_related", "--samples", "2", env=env))
    assert set(timing["methods"]) >= {"stored_read", "compute"}
    # The product's own settings do not install the hooks.
    product = {**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    assert "bench_urlmap" not in manage("help", "--commands", env=product)
