"""`make stack`: the scale-out topology on one machine, every part on loopback.

    python deploy/stack.py [--port 6081] [--no-demo]

PostgreSQL (the cluster at 127.0.0.1:5432, a scratch database, `newsroom_stack`,
made afresh with the demo's stories), Redis (127.0.0.1:6379: the shared page
cache and the RQ task queue), two gunicorn app servers, one RQ task worker,
the scheduler and Varnish in front, purged by surrogate key. Ctrl-C stops them
all. The tests in tests/stack/ start the same topology (`Stack`) with a
scratch site of their own.
"""

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish"

SITE_VCL = """\
probe newsroom_health {{
    .url = "/healthz";
    .interval = 500ms;
    .timeout = 2s;
    .window = 2;
    .threshold = 2;
}}
{backends}
sub vcl_init {{
    new app = directors.round_robin();
{members}
}}

acl purgers {{
    "127.0.0.1";
}}
"""
BACKEND = """
backend app{n} {{
    .host = "127.0.0.1";
    .port = "{port}";
    .probe = newsroom_health;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}}
"""


def varnishd():
    return shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )


def descendants(pid):
    """The pids of `pid`'s children, theirs, and so on (Linux's /proc)."""
    found = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found += [child, *descendants(child)]
    return found


def wait_until(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """App servers, a worker, the scheduler and Varnish for one site.

    `env` is the site's environment (DATABASE_URL and the like); the stack
    adds Redis, RQ and the edge settings. Logs go to `folder`.
    """

    def __init__(
        self,
        folder,
        env,
        *,
        redis_url,
        web_ports,
        varnish_port,
        purge_urls=(),
        scheduler_args=(),
        gunicorn_workers=2,
    ):
        self.folder = Path(folder)
        self.web_ports = list(web_ports)
        self.varnish_port = varnish_port
        self.url = f"http://127.0.0.1:{varnish_port}"
        self.scheduler_args = [str(a) for a in scheduler_args]
        self.gunicorn_workers = gunicorn_workers
        cache_url, tasks_url = redis_url
        self.env = {
            **env,
            "CACHE_URL": cache_url,
            "TASKS_BACKEND": "rq",
            "TASKS_REDIS_URL": tasks_url,
            "NEWSROOM_SURROGATE_KEY_HEADERS": "xkey",
            "NEWSROOM_VARNISH_PURGE_URLS": ",".join([self.url, *purge_urls]),
            # Varnish is one hop that appends to X-Forwarded-For.
            "NEWSROOM_TRUSTED_PROXIES": "1",
            "NEWSROOM_SITE_URL": self.url,
            "PYTHONUNBUFFERED": "1",
        }
        self.processes = {}

    # Processes

    def spawn(self, name, command, **kwargs):
        log = (self.folder / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: killed with its children
            **kwargs,
        )
        return self.processes[name]

    def manage(self, name, *args):
        return self.spawn(name, [sys.executable, "manage.py", *map(str, args)])

    def start_web(self, n, *, wait=True):
        port = self.web_ports[n]
        self.spawn(
            f"web{n + 1}",
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi",
             "-w", str(self.gunicorn_workers), "-b", f"127.0.0.1:{port}",
             "--graceful-timeout", "5"],
        )  # fmt: skip
        if wait:
            self.wait_web(n)

    def wait_web(self, n):
        port = self.web_ports[n]
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), f"web{n + 1}")

    def start_worker(self, name="worker"):
        return self.manage(
            name, "rqworker", "--with-scheduler",
            "--job-class", "django_tasks_rq.Job", "urgent", "default",
        )  # fmt: skip

    def start_scheduler(self):
        return self.manage("scheduler", "run_scheduler", *self.scheduler_args)

    def start_varnish(self):
        binary = varnishd()
        if binary is None:
            raise RuntimeError("varnishd is not installed (apt-get install varnish)")
        backends = "".join(
            BACKEND.format(n=n, port=port) for n, port in enumerate(self.web_ports)
        )
        members = "\n".join(
            f"    app.add_backend(app{n});" for n in range(len(self.web_ports))
        )
        (self.folder / "site.vcl").write_text(
            SITE_VCL.format(backends=backends, members=members)
        )
        self.spawn(
            "varnish",
            [binary, "-F", "-j", "none", "-n", str(self.folder / "varnish"),
             "-a", f"127.0.0.1:{self.varnish_port}", "-T", "none",
             "-f", str(VCL / "newsroom.vcl"),
             "-p", f"vcl_path={self.folder}:{VCL}",
             "-s", "malloc,256m",
             # Fastly and Cloudflare take 16 KB of surrogate keys.
             "-p", "http_resp_hdr_len=16k", "-p", "http_resp_size=64k"],
        )  # fmt: skip
        wait_until(lambda: answers(f"{self.url}/healthz"), "Varnish")

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        for n in range(len(self.web_ports)):
            self.start_web(n, wait=False)
        for n in range(len(self.web_ports)):
            self.wait_web(n)
        self.start_varnish()
        # Both app servers healthy in Varnish's eyes: a page through it.
        wait_until(lambda: answers(f"{self.url}/"), "a page through Varnish")
        # The worker last: the purges already queued find Varnish up.
        self.start_worker()
        self.start_scheduler()
        return self

    def kill(self, name):
        """SIGKILL `name` and all its descendants (gunicorn's workers, the
        work horse an RQ worker forks into a session of its own)."""
        process = self.processes[name]
        pids = descendants(process.pid)
        os.killpg(process.pid, signal.SIGKILL)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self):
        for process in reversed(self.processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


# `make stack`


def scratch_database(url):
    import psycopg

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run(env, *args):
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=6081, help="Varnish's port")
    parser.add_argument(
        "--app-ports", default="8001,8002", help="the app servers' ports"
    )
    parser.add_argument("--no-demo", action="store_true", help="an empty site")
    options = parser.parse_args()
    database = os.environ.get(
        "STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_stack"
    )
    redis = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379")
    folder = ROOT / "stack"
    folder.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", secrets.token_urlsafe(50)
        ),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    stack = Stack(
        folder,
        env,
        redis_url=(f"{redis}/2", f"{redis}/3"),
        web_ports=[int(port) for port in options.app_ports.split(",")],
        varnish_port=options.port,
    )
    scratch_database(database)
    # Nothing to purge before Varnish runs.
    setup = {**stack.env, "NEWSROOM_VARNISH_PURGE_URLS": ""}
    run(setup, "manage.py", "migrate", "--no-input", "-v0")
    if not options.no_demo:
        run(setup, "demo/build.py")
        run(setup, "manage.py", "loaddata", "demo/sections.json", "demo/authors.json")
        run(setup, "manage.py", "import_articles", "demo/build/stories.jsonl",
            "--media-dir", "demo/build")  # fmt: skip
        # As `make demo`: the admin account, with the demo's password.
        run({**setup, "DJANGO_SUPERUSER_USERNAME": "admin",
             "DJANGO_SUPERUSER_PASSWORD": "newsroom-demo",
             "DJANGO_SUPERUSER_EMAIL": ""},
            "manage.py", "createsuperuser", "--no-input")  # fmt: skip
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        stack.start()
        print(f"The site: {stack.url}/ (through Varnish); logs in {folder}/")
        if not options.no_demo:
            print(f"Admin: {stack.url}/admin/ (admin, password newsroom-demo)")
        print("Ctrl-C stops everything.")
        while not stopping and all(p.poll() is None for p in stack.processes.values()):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
