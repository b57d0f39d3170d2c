"""`make bench`: generate a corpus, import it, time related links, load the site.

    python bench/run.py [--quick | --full] [--sizes 1000 10000] [--seed 1]

Standard library only (plus the project's own virtualenv, wrk and gunicorn).
Steps, all against 127.0.0.1 and bounded in time:

1. A fresh database: SQLite in a scratch folder, or the PostgreSQL database
   named by DATABASE_URL (its name must contain "bench": its tables are
   emptied). The corpus's 12 sections are created (the importer files articles
   under existing sections only).
2. For each size (default 1k, then 10k): generate the next slice of the corpus
   (`bench/generate_corpus.py --stories`), import it (`manage.py
   import_articles --format ninjs`: articles/s and peak RSS), then time related
   links (`bench/probe.py related`, p50/p99) and score their quality
   (precision@5 of `bench/probe.py related-lists` against the story clusters,
   up to 10k articles).
3. At the last size, serve the site with gunicorn (2 sync workers, DEBUG off,
   persistent connections) and a bare WSGI app returning the bytes of a real
   article page (the ceiling), and load both with wrk, round by round, per URL
   class: page cache off, then on.
4. Write a markdown report (and the raw figures as JSON) to bench/results/.
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
WORKERS = 2
CLASSES = ["article", "home", "section", "tag", "author", "search", "feed"]
WARM_FETCHES = 4  # per path, before the page cache is measured
QUALITY_MAX_SIZE = 10_000  # similar_objects() gets slow beyond this

PROFILES = {
    "quick": {
        "hot": 15,
        "sizes": [300],
        "duration": 2,
        "warmup": 0,
        "rounds": 1,
        "related_samples": 20,
        "related_budget": 10,
        "quality_samples": 100,
    },
    "default": {
        "hot": 40,
        "sizes": [1000, 10000],
        "duration": 5,
        "warmup": 2,
        "rounds": 2,
        "related_samples": 100,
        "related_budget": 20,
        "quality_samples": 300,
    },
    "full": {
        "hot": 40,
        "sizes": [1000, 10000, 100000],
        "duration": 8,
        "warmup": 3,
        "rounds": 3,
        "related_samples": 200,
        "related_budget": 60,
        "quality_samples": 300,
    },
}


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.start = time.monotonic()
        self.work = Path(args.work or tempfile.mkdtemp(prefix="newsroom-bench-"))
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = self.child_env()
        self.results = {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "profile": args.profile,
            "seed": args.seed,
            "sizes": args.sizes,
            "imports": [],
            "related": [],
            "quality": [],
            "load": {},
            "notes": [],
        }

    # Processes

    def child_env(self):
        env = dict(os.environ)
        env.pop("DJANGO_DEBUG", None)
        env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
        env["DJANGO_CONN_MAX_AGE"] = "60"
        env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
        env["MEDIA_ROOT"] = str(self.work / "media")
        env["PYTHONUNBUFFERED"] = "1"
        # No task worker runs here: the import's follow-up work (related links,
        # renditions) runs in the importing process and is timed with it, and
        # the related-links quality is scored on links that exist.
        env.setdefault("TASKS_BACKEND", "immediate")
        return env

    def run(self, args, env=None, **kwargs):
        done = subprocess.run(
            args,
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            **kwargs,
        )
        if done.returncode:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise SystemExit(f"failed ({done.returncode}): {' '.join(args)}")
        return done

    def manage(self, *args, env=None):
        return self.run([PY, "manage.py", *args], env=env).stdout

    def probe(self, *args):
        return json.loads(self.run([PY, str(BENCH / "probe.py"), *args]).stdout)

    # 1. Database

    def setup_database(self):
        url = os.environ.get("DATABASE_URL")
        if url:
            name = urlparse(url).path.lstrip("/")
            if "bench" not in name:
                sys.exit(
                    f"DATABASE_URL names the database {name!r}: the benchmark empties "
                    "its tables, so it only runs on a database whose name contains "
                    "'bench' (e.g. newsroom_bench)."
                )
            self.manage("migrate", "--no-input", "-v", "0")
            self.manage("flush", "--no-input", "-v", "0")
        else:
            db = self.work / "bench.sqlite3"
            for old in self.work.glob("bench.sqlite3*"):
                old.unlink()
            self.env["DATABASE_URL"] = f"sqlite:///{db}"
            self.manage("migrate", "--no-input", "-v", "0")
        self.probe("sections")
        self.results["system"] = self.probe("info")
        log(
            f"database: {self.results['system']['engine']} "
            f"{self.results['system']['engine_version']}"
        )

    # 2. Stages

    def stage(self, previous, size):
        seed = str(self.args.seed)
        corpus = self.work / f"corpus-{previous}-{size}.jsonl"
        truth = self.work / f"truth-{previous}-{size}.jsonl"
        start = time.perf_counter()
        self.run(
            [
                *(PY, str(BENCH / "generate_corpus.py")),
                *("--articles", str(size), "--offset", str(previous), "--seed", seed),
                *("--stories", "--output", str(corpus), "--truth", str(truth)),
            ]
        )
        generated = time.perf_counter() - start
        log(f"{size:,}: generated {size - previous:,} articles in {generated:.1f} s")
        self.import_file(corpus, size - previous, size)
        self.results["analyze"] = self.probe("analyze")
        timing = self.probe(
            "related",
            *("--samples", str(self.args.related_samples), "--seed", seed),
            *("--budget-s", str(self.args.related_budget)),
        )
        timing["size"] = size
        self.results["related"].append(timing)
        compute = timing["methods"]["compute"]
        log(f"{size:,}: related compute p50 {compute['p50_ms']} ms")
        if size <= QUALITY_MAX_SIZE:
            self.quality(size)

    def import_file(self, path, count, size):
        command = [PY, "manage.py", "import_articles", "--format", "ninjs", str(path)]
        if Path("/usr/bin/time").exists():
            command = ["/usr/bin/time", "-v", *command]
        start = time.perf_counter()
        done = self.run(command)
        seconds = time.perf_counter() - start
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        summary = [line for line in done.stdout.splitlines() if "created" in line]
        row = {
            "size": size,
            "articles": count,
            "seconds": round(seconds, 1),
            "per_second": round(count / seconds, 1),
            "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
            "summary": summary[-1] if summary else "",
        }
        self.results["imports"].append(row)
        log(
            f"{size:,}: imported {count:,} in {seconds:.1f} s "
            f"({row['per_second']}/s, peak RSS {row['peak_rss_mb']} MB)"
        )

    def quality(self, size):
        truth = {}
        for path in sorted(self.work.glob("truth-*.jsonl")):
            for line in path.read_text().splitlines():
                item = json.loads(line)
                truth[item["uri"]] = item["story"]
        members = Counter(truth.values())
        eligible = sorted(uri for uri, story in truth.items() if members[story] >= 6)
        rng = random.Random(self.args.seed)
        sample = rng.sample(eligible, min(self.args.quality_samples, len(eligible)))
        plan = self.work / f"sample-{size}.json"
        plan.write_text(json.dumps({"articles": sample, "tags": []}))
        lists = {}
        command = [PY, str(BENCH / "probe.py"), "related-lists", "--sample", str(plan)]
        for line in self.run(command).stdout.splitlines():
            if line.startswith("{"):
                item = json.loads(line)
                lists.setdefault(item["method"], {})[item["uri"]] = item["related"]
        row = {"size": size, "samples": len(sample), "methods": {}}
        for method, by_uri in lists.items():
            precision, recall = [], []
            for uri in sample:
                related = by_uri.get(uri, [])
                story = truth[uri]
                hits = [r for r in related[:5] if r != uri and truth.get(r) == story]
                precision.append(len(hits) / 5)
                recall.append(len(hits) / (members[story] - 1))
            row["methods"][method] = {
                "precision_at_5": round(statistics.mean(precision), 3),
                "ci95": round(
                    1.96 * statistics.stdev(precision) / len(precision) ** 0.5, 3
                )
                if len(precision) > 1
                else None,
                "recall": round(statistics.mean(recall), 3),
            }
        ceiling = [
            min(5, members[truth[u]] - 1) / (members[truth[u]] - 1) for u in sample
        ]
        row["recall_ceiling"] = round(statistics.mean(ceiling), 3) if ceiling else None
        self.results["quality"].append(row)
        log(
            f"{size:,}: precision@5 "
            + ", ".join(f"{m} {v['precision_at_5']}" for m, v in row["methods"].items())
        )

    # 3. Load

    def serve(self, name, app, env, chdir=ROOT):
        port = free_port()
        logfile = (self.work / f"{name}.log").open("w")
        process = subprocess.Popen(
            [
                GUNICORN,
                *("--workers", str(WORKERS), "--worker-class", "sync"),
                *("--bind", f"127.0.0.1:{port}", "--chdir", str(chdir)),
                *("--log-level", "warning", app),
            ],
            cwd=chdir,
            env=env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} did not start; see {logfile.name}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return Server(name, process, port)
            except OSError:
                time.sleep(0.2)
        Server(name, process, port).stop()
        raise RuntimeError(f"{name} did not listen within 60 s")

    def load(self):
        paths_dir = self.work / "paths"
        self.results["paths"] = self.probe(
            "paths", "--out", str(paths_dir), "--seed", str(self.args.seed)
        )
        phases = [("cache off", {"NEWSROOM_PAGE_CACHE_SECONDS": "0"})]
        if self.results["system"]["page_cache_switch"]:
            phases.append(("cache on", {"NEWSROOM_PAGE_CACHE_SECONDS": "300"}))
        else:
            self.results["notes"].append(
                "No page cache switch (NEWSROOM_PAGE_CACHE_SECONDS) in the settings: "
                "only 'cache off' was measured."
            )
        ceiling = None
        try:
            for label, extra in phases:
                site = self.serve(
                    f"site-{label.replace(' ', '-')}",
                    "newsroom.wsgi:application",
                    {**self.env, **extra},
                )
                try:
                    if ceiling is None:
                        page = self.capture_ceiling_page(site, paths_dir)
                        ceiling = self.serve(
                            "ceiling",
                            "ceiling:application",
                            {**self.env, "BENCH_CEILING_HTML": str(page)},
                            chdir=BENCH,
                        )
                    if label == "cache on":
                        hot_dir = self.hot_paths(site, paths_dir)
                    self.results["load"][label] = self.load_phase(
                        label,
                        site,
                        ceiling,
                        hot_dir if label == "cache on" else paths_dir,
                    )
                finally:
                    site.stop()
        finally:
            if ceiling:
                ceiling.stop()

    def hot_paths(self, site, paths_dir):
        """The first `hot` paths of each class, each fetched a few times.

        A warm cache is the point of this phase, and with a per-worker local
        memory cache a few seconds of random load would leave most of 1,000
        article pages cold. So it loads a hot set, as breaking news does, and
        warms it first: every path fetched WARM_FETCHES times, so that each
        worker most likely holds it. The set fits in Django's local-memory
        cache, which keeps 300 entries (MAX_ENTRIES) per process.
        """
        hot_dir = paths_dir.parent / "hot-paths"
        hot_dir.mkdir(exist_ok=True)
        todo = []
        for name in CLASSES:
            paths = read_paths(paths_dir / f"{name}.paths")[: self.args.hot]
            (hot_dir / f"{name}.paths").write_text("\n".join(paths) + "\n")
            todo += [site.url + p for p in paths] * WARM_FETCHES
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(fetch, todo))
        self.results["notes"].append(
            f"cache on: a hot set of up to {self.args.hot} paths per class, each "
            f"fetched {WARM_FETCHES} times beforehand "
            f"({len(todo):,} requests, {time.perf_counter() - start:.0f} s)."
        )
        return hot_dir

    def capture_ceiling_page(self, site, paths_dir):
        """The median-sized of 15 real article pages, as the ceiling serves it."""
        paths = read_paths(paths_dir / "article.paths")[:15]
        pages = sorted((fetch(site.url + p)[1] for p in paths), key=len)
        page = pages[len(pages) // 2]
        target = self.work / "ceiling.html"
        target.write_bytes(page)
        self.results["ceiling_bytes"] = len(page)
        return target

    def load_phase(self, label, site, ceiling, paths_dir):
        classes, skipped = [], {}
        for name in CLASSES:
            statuses = Counter(
                fetch(site.url + p)[0]
                for p in read_paths(paths_dir / f"{name}.paths")[:5]
            )
            if statuses and set(statuses) == {404}:
                skipped[name] = "404 (not built yet)"
            else:
                classes.append(name)
                if any(s >= 400 for s in statuses):
                    self.results["notes"].append(f"{label}: {name} answered {statuses}")
        runs = {name: [] for name in ["ceiling", *classes]}
        for round_number in range(self.args.rounds):
            for name in ["ceiling", *classes]:
                server, paths = (
                    (ceiling, paths_dir / "ceiling.paths")
                    if name == "ceiling"
                    else (site, paths_dir / f"{name}.paths")
                )
                if name == "ceiling":
                    paths.write_text("/\n")
                if round_number == 0 and self.args.warmup:
                    wrk(server, paths, self.args.warmup)
                runs[name].append(wrk(server, paths, self.args.duration))
            log(
                f"{label}, round {round_number + 1}: "
                + ", ".join(f"{n} {r[-1]['rps']:.0f}/s" for n, r in runs.items())
            )
        table = {}
        for name, results in runs.items():
            ratios = [
                r["rps"] / c["rps"]
                for r, c in zip(results, runs["ceiling"], strict=True)
                if c["rps"]
            ]
            table[name] = {
                "rps": round(statistics.median(r["rps"] for r in results), 1),
                "rps_range": [
                    round(min(r["rps"] for r in results), 1),
                    round(max(r["rps"] for r in results), 1),
                ],
                "ratio": round(statistics.median(ratios), 4) if ratios else None,
                "p50_ms": round(
                    statistics.median(r["p50_us"] for r in results) / 1000, 1
                ),
                "p99_ms": round(
                    statistics.median(r["p99_us"] for r in results) / 1000, 1
                ),
                "requests": sum(r["requests"] for r in results),
                "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in results),
                "socket_errors": sum(
                    r[k]
                    for r in results
                    for k in (
                        "connect_errors",
                        "read_errors",
                        "write_errors",
                        "timeouts",
                    )
                ),
            }
        return {"classes": table, "skipped": skipped}

    # 4. Report

    def finish(self):
        self.results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.results["minutes"] = round((time.monotonic() - self.start) / 60, 1)
        self.results["machine"] = machine()
        self.results["commit"] = git_commit()
        out = Path(self.args.out)
        out.mkdir(parents=True, exist_ok=True)
        engine = self.results.get("system", {}).get("engine", "db")
        stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H%M")
        name = f"bench-{stamp}-{engine}-{self.args.sizes[-1]}"
        (out / f"{name}.json").write_text(json.dumps(self.results, indent=1))
        report = render(self.results)
        (out / f"{name}.md").write_text(report)
        print(report)
        log(f"report: {out / name}.md")


class Server:
    def __init__(self, name, process, port):
        self.name, self.process, self.port = name, process, port
        self.url = f"http://127.0.0.1:{port}"

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_paths(path):
    return [line for line in Path(path).read_text().splitlines() if line]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def wrk(server, paths, seconds):
    done = subprocess.run(
        [
            "wrk",
            *("--threads", "1", "--connections", "8", "--duration", f"{seconds}s"),
            *("--timeout", "10s", "--script", str(BENCH / "paths.lua"), server.url),
        ],
        env={**os.environ, "BENCH_PATHS": str(paths)},
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    line = next(
        line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON ")
    )
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def machine():
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
        mem_gb = round(int(mem) / 1024 / 1024)
    except OSError:
        mem_gb = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
    }


def git_commit():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if dirty else commit


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(value):
    return "-" if value is None else f"{value:g}"


def render(r):
    system, m = r.get("system", {}), r["machine"]
    out = [
        f"# Newsroom benchmark, {r['started'][:10]} ({r['profile']})",
        "",
        f"Commit {r['commit']}; {system.get('engine')} {system.get('engine_version')}; "
        f"Django {system.get('django')}; Python {m['python']}; {m['cpu']}, "
        f"{m['cores']} cores, {m['memory_gb']} GB; {m['os']}. Corpus seed {r['seed']}, "
        f"story clusters on. Load: wrk (1 thread, 8 connections) against gunicorn "
        f"({WORKERS} sync workers) on 127.0.0.1, same machine. "
        f"{r['started']} to {r.get('finished')} ({r.get('minutes')} min).",
        "",
        "## Import (`import_articles --format ninjs`, related links included)",
        "",
        table(
            ["stage", "articles", "seconds", "articles/s", "peak RSS MB"],
            [
                [
                    f"to {i['size']:,}",
                    f"{i['articles']:,}",
                    i["seconds"],
                    i["per_second"],
                    i["peak_rss_mb"],
                ]
                for i in r["imports"]
            ],
        ),
        "",
        "## Related links: time per article (ms)",
        "",
        "`compute` scores and stores one article's links (done on write), "
        "`stored_read` is what a page pays, `taggit_similar_objects` is taggit's "
        "own ranking. CPU: the probing process's CPU time (SQLite's work "
        "included, a PostgreSQL server's not), steadier on a busy machine.",
        "",
        table(
            ["articles", "method", "samples", "p50", "p90", "p99", "max"]
            + ["CPU p50", "CPU p90"],
            [
                [
                    f"{t['articles']:,}",
                    name,
                    v["samples"],
                    ms(v.get("p50_ms")),
                    ms(v.get("p90_ms")),
                    ms(v.get("p99_ms")),
                    ms(v.get("max_ms")),
                    ms(v.get("cpu_p50_ms")),
                    ms(v.get("cpu_p90_ms")),
                ]
                for t in r["related"]
                for name, v in t["methods"].items()
            ],
        ),
    ]
    if r["quality"]:
        out += [
            "",
            "## Related links: quality against the story clusters",
            "",
            "Clustered articles from stories of 6+ members; precision@5 with a 95% "
            "interval; recall = same-story links / (members - 1).",
            "",
            table(
                [
                    "articles",
                    "method",
                    "sampled",
                    "precision@5",
                    "recall",
                    "recall ceiling",
                ],
                [
                    [
                        f"{q['size']:,}",
                        name,
                        q["samples"],
                        f"{v['precision_at_5']} ± {v['ci95']}",
                        v["recall"],
                        q["recall_ceiling"],
                    ]
                    for q in r["quality"]
                    for name, v in q["methods"].items()
                ],
            ),
        ]
    for label, phase in r["load"].items():
        rows = []
        for name, v in phase["classes"].items():
            rows.append(
                [
                    name,
                    f"{v['rps']:,.0f}",
                    f"{v['rps_range'][0]:,.0f}-{v['rps_range'][1]:,.0f}",
                    "1"
                    if name == "ceiling"
                    else ("-" if v["ratio"] is None else f"{v['ratio']:.3f}"),
                    f"{v['p50_ms']} / {v['p99_ms']}",
                    f"{v['requests']:,}",
                    v["non_2xx_3xx"],
                    v["socket_errors"],
                ]
            )
        for name, why in phase["skipped"].items():
            rows.append([name, "skipped: " + why, "", "", "", "", "", ""])
        out += [
            "",
            f"## Load at {r['sizes'][-1]:,} articles, page cache {label.split()[-1]}",
            "",
            f"Median of {r.get('rounds')} round(s) of {r.get('duration')} s per URL "
            f"class; ratio = class req/s / ceiling req/s of the same round "
            f"(ceiling: {r.get('ceiling_bytes', 0):,}-byte article page).",
            "",
            table(
                [
                    "URL class",
                    "req/s",
                    "range",
                    "vs ceiling",
                    "p50 / p99 ms",
                    "requests",
                    "non-2xx/3xx",
                    "socket errors",
                ],
                rows,
            ),
        ]
    if r.get("paths"):
        p = r["paths"]
        out += [
            "",
            f"Paths: {p['classes']}; {p['tags_used']:,} tags in use (the most used on "
            f"{p['top_tag_articles']:,} articles), {p['authors']} authors (the most "
            f"prolific on {p['top_author_articles']:,}).",
        ]
    if r["notes"]:
        out += ["", "## Notes", ""] + [f"- {n}" for n in r["notes"]]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", dest="profile", action="store_const", const="quick")
    group.add_argument("--full", dest="profile", action="store_const", const="full")
    parser.set_defaults(profile="default")
    parser.add_argument("--sizes", type=int, nargs="+", help="Corpus stages.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, help="Seconds per wrk run.")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--no-load", action="store_true", help="Skip the load test.")
    parser.add_argument("--work", help="Scratch folder (default: a new temp folder).")
    parser.add_argument("--out", default=str(BENCH / "results"))
    args = parser.parse_args()
    for key, value in PROFILES[args.profile].items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    args.sizes = sorted(set(args.sizes))
    if not args.no_load and not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (or run with --no-load).")

    bench = Bench(args)
    bench.results.update(rounds=args.rounds, duration=args.duration)
    log(f"profile {args.profile}, sizes {args.sizes}, scratch folder {bench.work}")
    bench.setup_database()
    previous = 0
    for size in args.sizes:
        bench.stage(previous, size)
        previous = size
    if not args.no_load:
        bench.load()
    bench.finish()
    if not args.work:
        shutil.rmtree(bench.work, ignore_errors=True)


if __name__ == "__main__":
    main()
