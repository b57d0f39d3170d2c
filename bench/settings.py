"""Settings for the shared side-by-side harness (../shared/bench/run_peer.sh).

The harness runs its hooks as `manage.py CMD`; with NEWSROOM_SETTINGS=bench.settings
the project's settings gain the `bench` app, whose commands wrap bench/probe.py.
The product itself never installs it.
"""

from newsroom.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
