"""`make loadtest`: the site under load while an import runs, then a soak.

1. A fresh PostgreSQL database (DATABASE_URL, default newsroom_loadtest on
   127.0.0.1) gets a synthetic archive of --seed-articles articles.
2. gunicorn serves it (DEBUG off, Redis cache when one answers on CACHE_URL).
3. Load: wrk, --connections connections for --duration seconds over article,
   home, section, tag, search and feed URLs, while `import_articles` loads
   --import-articles more. Passes only with 0 errors; p50/p90/p99 reported.
4. Soak: --soak-connections connections for --soak seconds; worker RSS and
   PostgreSQL connections are compared before and after (growth < 10 %, no
   leaked connections).

Everything runs on 127.0.0.1 and stops by itself. Results are printed as a
Markdown table and written to bench/results/loadtest-<time>.json.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(Path(PY).with_name("gunicorn"))
PATHS_LUA = ROOT / "bench" / "paths.lua"
RESULTS = ROOT / "bench" / "results"


def run(*args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), 1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def psql(database_url, sql):
    parts = urlsplit(database_url)
    admin = parts._replace(path="/postgres").geturl()
    out = subprocess.run(
        ["psql", admin, "-AtXqc", sql], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def connections(database_url):
    name = urlsplit(database_url).path.lstrip("/")
    return int(
        psql(
            database_url,
            f"SELECT count(*) FROM pg_stat_activity WHERE datname='{name}'",
        )
    )


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()]


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def url_list(base, limit=400):
    """Paths readers ask for: articles, home, sections, tags, search, feeds."""
    paths = {"/", "/feed/", "/feed/atom/", "/search/?q=minister"}
    for name in ("articles", "sections", "tags"):
        xml = get(f"{base}/sitemap-{name}.xml")
        locs = re.findall(r"<loc>([^<]+)</loc>", xml)[: limit // 3]
        paths.update(urlsplit(loc).path for loc in locs)
    words = ["election", "council", "bridge", "storm", "budget", "school", "health"]
    paths.update(f"/search/?q={word}" for word in words)
    tags = [p for p in paths if p.startswith("/tag/")][:20]
    paths.update(f"{tag}feed/" for tag in tags)
    return sorted(paths)


def wrk(base, paths_file, seconds, connections_, threads):
    env = {**os.environ, "BENCH_PATHS": str(paths_file)}
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections_}", f"-d{seconds}s", "--timeout",
         "10s", "-s", str(PATHS_LUA), base],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    data["errors"] = sum(
        data[key]
        for key in ("non_2xx_3xx", "connect_errors", "read_errors", "write_errors",
                    "timeouts")
    )  # fmt: skip
    data["rps"] = round(data["requests"] / (data["duration_us"] / 1e6), 1)
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed-articles", type=int, default=5000)
    parser.add_argument("--import-articles", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--soak", type=int, default=600, help="Seconds; 0 skips it.")
    parser.add_argument("--soak-connections", type=int, default=4)
    args = parser.parse_args()

    for tool in ("wrk", "psql"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: install it (Debian: wrk, postgresql-client).")
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_loadtest"
    )
    if not database_url.startswith("postgres"):
        sys.exit("make loadtest runs on PostgreSQL: set DATABASE_URL=postgres://...")
    cache_url = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/7")
    use_redis = redis_answers(cache_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="newsroom-loadtest-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "NEWSROOM_SITE_URL": base,
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
        # No task worker runs here: the import does its follow-up work itself.
        "TASKS_BACKEND": os.environ.get("TASKS_BACKEND", "immediate"),
    }
    env.pop("DJANGO_DEBUG", None)
    if use_redis:
        env["CACHE_URL"] = cache_url
    else:
        env.pop("CACHE_URL", None)
        env.pop("REDIS_URL", None)

    name = urlsplit(database_url).path.lstrip("/")
    print(f"database {name}, cache {'Redis' if use_redis else 'local memory'}")
    psql(database_url, f"DROP DATABASE IF EXISTS {name}")
    psql(database_url, f"CREATE DATABASE {name}")
    if use_redis:
        subprocess.run(["redis-cli", "-u", cache_url, "FLUSHDB"], capture_output=True)
    run(PY, "manage.py", "migrate", "-v0", env=env)
    seed, extra = work / "seed.jsonl", work / "import.jsonl"
    total = args.seed_articles + args.import_articles
    generate = ROOT / "bench" / "generate_corpus.py"
    run(PY, generate, "--articles", str(args.seed_articles), "-o", str(seed),
        env=env)  # fmt: skip
    run(PY, generate, "--articles", str(total), "--offset", str(args.seed_articles),
        "-o", str(extra), env=env)  # fmt: skip
    print(f"seeding {args.seed_articles} articles ...", flush=True)
    run(PY, "manage.py", "import_articles", str(seed), "-v0", env=env)

    server = subprocess.Popen(
        [GUNICORN, "newsroom.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
         "--access-logfile", "-", "--error-logfile", str(work / "gunicorn.log")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    results = {"workers": args.workers, "cache": "redis" if use_redis else "locmem"}
    try:
        for _ in range(100):
            try:
                get(f"{base}/robots.txt")
                break
            except OSError:
                time.sleep(0.2)
        paths = url_list(base)
        paths_file = work / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        results["urls"] = len(paths)

        print(f"load: {args.connections} connections, {args.duration} s, while "
              f"importing {args.import_articles} articles ...", flush=True)  # fmt: skip
        importer = subprocess.Popen(
            [PY, "manage.py", "import_articles", str(extra), "-v0"],
            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        load = wrk(base, paths_file, args.duration, args.connections, 2)
        # The soak starts at once, while the import may still be running.
        if args.soak:
            print(f"soak: {args.soak_connections} connections, {args.soak} s ...",
                  flush=True)  # fmt: skip
            pids = worker_pids(server.pid)
            before = {pid: rss_kb(pid) for pid in pids}
            conns_before = connections(database_url)
            soak = wrk(base, paths_file, args.soak, args.soak_connections, 1)
            after = {pid: rss_kb(pid) for pid in pids if Path(f"/proc/{pid}").exists()}
            growth = max(
                (after[pid] - before[pid]) / before[pid] * 100 for pid in after
            )
            soak.update(
                rss_before_kb=before, rss_after_kb=after,
                max_rss_growth_pct=round(growth, 1),
                pg_connections_before=conns_before,
                pg_connections_after=connections(database_url),
                import_still_running=importer.poll() is None,
            )  # fmt: skip
            results["soak"] = soak
        import_rc = importer.wait()
        count = subprocess.run(
            [PY, "manage.py", "shell", "--no-imports", "-c",
             "from articles.models import Article; print(Article.objects.count())"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        load.update(
            import_exit=import_rc, articles_after=int(count.split()[-1]), expected=total
        )
        results["load"] = load

    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"loadtest-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    report(results)
    print(f"\n(written to {out.relative_to(ROOT)})")
    load = results["load"]
    ok = (
        load["errors"] == 0
        and load["import_exit"] == 0
        and load["articles_after"] == load["expected"]
    )
    if "soak" in results:
        soak = results["soak"]
        ok = ok and soak["errors"] == 0 and soak["max_rss_growth_pct"] < 10
        ok = ok and soak["pg_connections_after"] <= soak["pg_connections_before"]
    sys.exit(0 if ok else 1)


def ms(us):
    return f"{us / 1000:.1f}"


def report(results):
    print("\n| run | requests | req/s | errors | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|")
    for name in ("load", "soak"):
        if name in results:
            r = results[name]
            print(f"| {name} | {r['requests']} | {r['rps']} | {r['errors']} | "
                  f"{ms(r['p50_us'])} | {ms(r['p90_us'])} | {ms(r['p99_us'])} | "
                  f"{ms(r['max_us'])} |")  # fmt: skip
    load = results["load"]
    print(f"\nimport during load: exit {load['import_exit']}, "
          f"{load['articles_after']} of {load['expected']} articles")  # fmt: skip
    if "soak" in results:
        soak = results["soak"]
        print(f"worker RSS growth (max): {soak['max_rss_growth_pct']} %; "
              f"PostgreSQL connections {soak['pg_connections_before']} -> "
              f"{soak['pg_connections_after']}")  # fmt: skip


if __name__ == "__main__":
    main()
