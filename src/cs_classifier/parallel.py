"""Ordered parallel map over chunks: in-process, in worker processes, or on a Dask cluster.

``shared`` objects (the model, the rules) reach each worker once — through the process pool's
initializer, or scattered to every Dask worker — not once per chunk.
"""
from __future__ import annotations

import os
from collections import deque
import itertools
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_SHARED: tuple[Any, ...] = ()


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def resolve_jobs(n_jobs: int | None) -> int:
    """``n_jobs`` as a worker count: None or a negative number mean every core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if n_jobs is None or n_jobs < 0:
        return cores
    return max(1, n_jobs)


def _init(shared: tuple[Any, ...]) -> None:
    global _SHARED
    _SHARED = shared


def _call(fn: Callable[..., Any], chunk: Any) -> Any:
    return fn(*_SHARED, chunk)


def _ordered(submit: Callable[[Any], Any], result: Callable[[Any], Any], chunks: Iterator[Any], window: int) -> Iterator[Any]:
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def ordered_map(fn: Callable[..., R], chunks: Iterable[Any], shared: Sequence[Any] = (), n_jobs: int = 1,
                client: Any = None) -> Iterator[R]:
    """Yield ``fn(*shared, chunk)`` for every chunk, in order, with a bounded number in flight."""
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None and client is None:  # one chunk: no worker start-up worth paying for
        yield fn(*shared, first)
        return
    chunks = itertools.chain([first] if second is None else [first, second], chunks)
    if client is not None:
        futures = [client.scatter(obj, broadcast=True, hash=False) for obj in shared]
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        yield from _ordered(lambda c: client.submit(fn, *futures, c, pure=False), lambda f: f.result(),
                            chunks, window=2 * workers + 1)
        return
    jobs = resolve_jobs(n_jobs)
    if jobs <= 1:
        for chunk in chunks:
            yield fn(*shared, chunk)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_init,
                             initargs=(tuple(shared),)) as pool:
        yield from _ordered(lambda c: pool.submit(_call, fn, c), lambda f: f.result(), chunks, window=2 * jobs + 1)
