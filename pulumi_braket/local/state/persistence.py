"""S3 objects kept across restarts: moto's S3 lives in memory, so it is mirrored into the store.

moto keeps serving S3; this only copies its buckets and objects into the SQLite file after
writes (debounced) and at stop, and puts them back into moto's backend at start. Job
sources, job results and task results therefore survive a restart on the same ``--db``.
"""

from __future__ import annotations

import logging
import threading

from pulumi_braket.local.neighbours import objects
from pulumi_braket.local.state.store import Store

log = logging.getLogger(__name__)

# Writes are mirrored at most this often: a burst of uploads is copied once.
SYNC_SECONDS = 0.5


class ObjectMirror:
    """Copies moto's S3 state into the store whenever something may have changed."""

    def __init__(self, store: Store, account: str) -> None:
        self.store = store
        self.account = account
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._sync_lock = threading.Lock()
        self._etags: dict[tuple[str, str], str] = {}
        self._thread = threading.Thread(target=self._loop, name="braket-s3-mirror", daemon=True)

    def restore(self) -> int:
        """Put the saved buckets and objects back into moto; the number of objects restored."""
        for name, region in self.store.saved_buckets():
            objects.ensure_bucket(self.account, name, region)
        count = 0
        for bucket, key, body in self.store.saved_objects():
            try:
                objects.put_object(self.account, bucket, key, body)
                count += 1
            except objects.ObjectError:
                continue
        # What moto now holds is what the store holds: nothing restored is written back.
        self._etags = {
            (bucket, key): etag for bucket, key, etag, _ in objects.all_objects(self.account)
        }
        return count

    def start(self) -> None:
        objects.on_change(self.changed)
        self._thread.start()

    def changed(self) -> None:
        self._dirty.set()

    def stop(self) -> None:
        objects.on_change(None)
        self._stop.set()
        self._dirty.set()
        self._thread.join(timeout=10)
        self.sync()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._dirty.wait()
            if self._stop.is_set():
                return
            self._stop.wait(SYNC_SECONDS)
            self._dirty.clear()
            try:
                self.sync()
            except Exception:
                log.exception("mirroring S3 into the store failed")

    def sync(self) -> None:
        with self._sync_lock:
            seen: dict[tuple[str, str], str] = {}
            changed: list[tuple[str, str, str, bytes]] = []
            for bucket, key, etag, read in objects.all_objects(self.account):
                seen[(bucket, key)] = etag
                if self._etags.get((bucket, key)) != etag:
                    changed.append((bucket, key, etag, read()))
            removed = [item for item in self._etags if item not in seen]
            buckets = objects.all_buckets(self.account)
            if changed or removed or buckets != self.store.saved_buckets():
                self.store.save_objects(buckets, changed, removed)
            self._etags = seen
