"""Logging filters (named in settings.LOGGING).

When Redis is down, django-redis treats every cache call as a miss and logs the
error it ignored, with its traceback: several calls per request made tens of
megabytes of log a minute, burying everything else. `OutageFilter` turns that
into one line when the outage starts, then at most one a minute saying how many
errors were left out, so the outage stays visible and the log stays readable.
"""

import logging
import time


class OutageFilter(logging.Filter):
    def __init__(self, name="", interval=60.0, message="Cache unavailable"):
        super().__init__(name)
        self.interval = float(interval)
        self.message = message
        self.next_report = float("-inf")
        self.left_out = 0

    def filter(self, record):
        now = time.monotonic()
        if now < self.next_report:
            self.left_out += 1
            return False
        self.next_report = now + self.interval
        reason = ""
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            reason = f": {type(error).__name__}: {error}"
        record.msg = f"{self.message}{reason}"
        if self.left_out:
            record.msg += f" ({self.left_out} more since the last report)"
        record.args = ()
        record.exc_info = record.exc_text = None
        self.left_out = 0
        return True
