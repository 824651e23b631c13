"""Progress of a run: a bar on a terminal, a quiet log line now and then elsewhere."""

from __future__ import annotations

import sys
import time


class Progress:
    """A progress bar on a terminal; a quiet log line every ``every`` seconds otherwise."""

    def __init__(self, total_bytes: int, *, enabled: bool, every: float = 15.0):
        self.total, self.done, self.documents = total_bytes, 0, 0
        self.enabled, self.every = enabled, every
        self.started = self.last = time.time()
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, desc="analyze", file=sys.stderr)

    def update(self, unit_bytes: int, documents: int) -> None:
        self.done += unit_bytes
        self.documents += documents
        if self.bar is not None:
            self.bar.update(unit_bytes)
            self.bar.set_postfix(docs=self.documents)
        elif self.enabled and time.time() - self.last >= self.every:
            self.last = time.time()
            elapsed = self.last - self.started
            share = self.done / self.total if self.total else 1.0
            left = elapsed / share - elapsed if share else float("nan")
            print(f"framing: {self.documents:,} documents ({self.documents / elapsed:,.0f}/s), {share:.0%} of input, "
                  f"about {left / 60:.0f} min left", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
