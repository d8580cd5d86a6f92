"""One job segment's Scan, read by a few parallel threads (the nightly jobs' reads).

Job segment ``(index, total)`` read by ``threads`` threads is DynamoDB's scan segments
``index * threads + k`` of ``total * threads``. The pages flow through a bounded queue,
so memory stays a few pages whatever the table's size. A page that fails transiently is
read again under ``retry`` (in its segment, from where it stopped); an error past the
bound is raised to the reader.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from typing import Any

from chalicelib.adapters.items import all_pages
from chalicelib.services.ports import Retrier

_DONE = object()


def sub_segments(segment: tuple[int, int], threads: int) -> list[tuple[int, int]]:
    """DynamoDB's ``(Segment, TotalSegments)`` of each thread of job segment ``segment``."""
    index, total = segment
    if not 0 <= index < total:
        raise ValueError(f"no scan segment {index} of {total}")
    return [(index * threads + k, total * threads) for k in range(threads)]


def segment_pages(
    client: Any,
    arguments: dict[str, Any],
    segment: tuple[int, int],
    threads: int,
    retry: Retrier,
) -> Iterator[list[dict[str, Any]]]:
    """The items of every page of the Scan ``arguments`` in job segment ``segment``."""
    pages: queue.Queue[Any] = queue.Queue(maxsize=2 * threads)
    stop = threading.Event()
    readers = [
        threading.Thread(
            target=_scan, args=(client, arguments, part, pages, stop, retry), daemon=True
        )
        for part in sub_segments(segment, threads)
    ]
    for reader in readers:
        reader.start()
    finished = 0
    try:
        while finished < len(readers):
            page = pages.get()
            if page is _DONE:
                finished += 1
            elif isinstance(page, BaseException):
                raise page
            else:
                yield page
    finally:
        stop.set()
        while any(reader.is_alive() for reader in readers):
            with contextlib.suppress(queue.Empty):
                pages.get(timeout=0.05)


def _scan(
    client: Any,
    arguments: dict[str, Any],
    part: tuple[int, int],
    pages: queue.Queue[Any],
    stop: threading.Event,
    retry: Retrier,
) -> None:
    segmented = {**arguments, "Segment": part[0], "TotalSegments": part[1]}
    try:
        if not stop.is_set():
            for page in all_pages(client, "scan", segmented, retry):
                pages.put(page.get("Items", []))
                if stop.is_set():
                    break
    except Exception as error:  # handed to the reader, which raises it
        pages.put(error)
    pages.put(_DONE)
