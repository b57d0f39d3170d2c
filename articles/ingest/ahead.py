"""Reading a file ahead of its load, in a second process.

The parser and the body's sanitizing are pure Python with no database, and
the database waited for them batch after batch. With `read_ahead` (the import
command's, `import_paths`), a forked child process parses the file, works out
each body's stable form (values.stable_body) and hands the items over a
batch's worth at a time, through a pipe, while this process loads the batch
before. Memory stays flat: the child blocks until its chunk is taken. Imports
run by task workers (wire polls) and requests never start one.

The items come in the file's order, and a problem with the file (a
`SourceError`, a read error) is raised here where the parser raised it, after
the items read before it. The child ignores Ctrl-C (the terminal sends it to
both processes) and is ended when reading stops, whichever way: the end of
the file, an error on either side, or the loop left early. Each end of the
pipe is held by one process only, so a child that dies (killed, out of
memory), even halfway through a chunk, is the end of the pipe here, reported
as a read error; and an import that dies is the end of the pipe for the
child, which then exits.

Where the child would not pay or cannot run, the file is read in this process
as before: on SQLite (no database server to overlap with), with one core,
without `fork`, for a file under a megabyte, and for scraped text, whose
parser asks the database for the tags it knows.
"""

import multiprocessing
import os
import pickle
import signal

from django.db import connection

from .limits import oversized
from .records import READ_ERRORS, ArticleRecord, SourceError
from .values import stable_body

# Items handed over at a time: a full batch (batches.MAX_BATCH), read while
# the one before is loaded. With the one being built, two batches ahead.
CHUNK = 1000
# A smaller file is read in this process: a folder of single stories would
# start a process for each.
MIN_BYTES = 1 << 20


def can_read_ahead(source, fmt):
    """Whether reading `source` (in format `fmt`) in a second process pays."""
    return (
        fmt != "text"
        and connection.vendor == "postgresql"
        and cores() > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and (str(source) == "<stdin>" or _size(source.path) >= MIN_BYTES)
    )


def cores():
    """The cores this process may run on (a container may have fewer than
    the machine)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def prepare(item):
    """What of an item's loading needs no database, done where it is read."""
    if isinstance(item, ArticleRecord) and item.body and not oversized(item):
        item.stable_body = stable_body(item.body)
    return item


class ReadAhead:
    """The items of `source.records(stream, fmt, ...)`, read by a child process.

    Iterate it once, in a `with` block (or `close()` it): leaving ends the
    child.
    """

    def __init__(self, source, stream, fmt, *, zone=None):
        context = multiprocessing.get_context("fork")
        self._receiving, sending = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_read,
            args=(sending, self._receiving, source, stream, fmt, zone),
            daemon=True,
        )
        self._process.start()
        sending.close()  # the child's end only

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __iter__(self):
        while True:
            kind, value = self._next()
            if kind == "items":
                yield from value
            elif kind == "error":
                raise value
            else:  # "done"
                return

    def _next(self):
        try:
            return self._receiving.recv()
        except (EOFError, OSError):
            # Gone without a word (killed, out of memory), perhaps halfway
            # through a chunk.
            self._process.join()
            code = self._process.exitcode
            message = f"the reading process stopped (exit code {code})"
            raise OSError(message) from None

    def close(self):
        process = self._process
        if process.is_alive():
            process.terminate()
        process.join()
        self._receiving.close()


def _read(sending, receiving, source, stream, fmt, zone):
    """The child: parse, prepare, and send the items in chunks, then "done"."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    receiving.close()  # the import's end only

    def put(message):
        try:
            sending.send(message)
        except OSError:  # the import is gone: nobody will read this
            os._exit(1)

    chunk = []
    try:
        for item in source.records(stream, fmt, zone=zone):
            chunk.append(prepare(item))
            if len(chunk) >= CHUNK:
                put(("items", chunk))
                chunk = []
    except (SourceError, *READ_ERRORS) as exc:
        put(("items", chunk))
        put(("error", _portable(exc)))
    except BaseException as exc:  # a fault in a parser: reported, not hidden
        put(("items", chunk))
        put(("error", RuntimeError(f"reading failed: {exc!r}")))
    else:
        put(("items", chunk))
        put(("done", None))
    sending.close()


def _portable(exc):
    """`exc`, or one of its kind with its message if it does not pickle."""
    try:
        pickle.dumps(exc)
    except Exception:
        kind = SourceError if isinstance(exc, SourceError) else OSError
        return kind(str(exc))
    return exc
