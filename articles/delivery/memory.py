"""This process's memory of the pages it served (the `pages` cache).

Django's local-memory cache, without the pickling: a page entry is a tuple of
strings, numbers and bytes that nothing changes once stored, so the stored
object itself can be handed out, and a hit does not copy the page's bytes.
Keys are the page cache's own (`page:` and a hash), so they are not checked
for memcached's rules either. Only `get` and `set` are what a hit and a store
use; the rest is LocMemCache's.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class PageMemory(LocMemCache):
    def get(self, key, default=None, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)
