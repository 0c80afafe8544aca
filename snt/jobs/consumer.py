"""The worker's consumer: Huey's own, writing the heartbeat (snt/jobs/heartbeat) as it runs.
Imported only by `flask worker`, so the site starts without Huey's consumer machinery."""

from pathlib import Path

from huey.consumer import Consumer

from snt.jobs import heartbeat


class BeatingConsumer(Consumer):
    """Huey's consumer that writes the heartbeat (snt/jobs/heartbeat) at start and at each of its
    own health checks, while the queue's storage answers."""

    heartbeat: Path

    def start(self) -> None:
        super().start()
        self.beat()

    def check_worker_health(self) -> bool:
        healthy = bool(super().check_worker_health())
        self.beat()
        return healthy

    def beat(self) -> None:
        try:
            self.huey.storage.queue_size()
        except Exception as exc:  # any storage error: Redis down, SQLite file gone
            self._logger.error("queue storage unreachable, no heartbeat: %s", exc)
            return
        heartbeat.beat(self.heartbeat)
