"""One management command per harness hook, each a thin wrapper of bench/probe.py."""

import json
from argparse import Namespace

from django.core.management.base import BaseCommand


class ProbeCommand(BaseCommand):
    handler = None  # the bench/probe.py function
    arguments = ()  # (flag, add_argument options)

    def add_arguments(self, parser):
        for flag, options in self.arguments:
            parser.add_argument(flag, **options)

    def handle(self, **options):
        from bench import probe

        result = getattr(probe, self.handler)(Namespace(**options))
        lines = [result] if isinstance(result, dict) else result
        for line in lines:
            self.stdout.write(json.dumps(line))
