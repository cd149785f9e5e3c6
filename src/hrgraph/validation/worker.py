"""Validation in killable processes (docs/architecture.md, "Decisions that were measured"):
``/api/validate`` and the ``/report`` page run ``validate.validate`` in a process of its own,
started with ``spawn``, under an address-space limit (``RLIMIT_AS``, ``Limits.max_memory_mb``)
and a deadline (``Service.validation_timeout_s``), after which the process is killed. An upload
is parsed in that process too (and validated in memory, no file written), so the server process
never parses RDF it was sent.

:class:`ValidationRunner` admits at most ``validation_workers + validation_queue`` validations at
a time (more get :class:`ValidationRefused` 503 with ``Retry-After`` at once); a queued one waits
at most ``queue_timeout_s`` for a running one to finish. A ``cancel`` event (set when the client
disconnects) takes a validation out of the queue or kills its process.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

from hrgraph.errors import HrgraphError
from hrgraph.settings import Settings

log = logging.getLogger("hrgraph.validation")

POLL_S = 0.1


@dataclass(frozen=True)
class ValidationJob:
    """One validation: the bundled data (``upload`` is ``None``) or an uploaded document."""

    settings: Settings
    day: date | None
    shape_files: tuple[Path, ...]
    upload: bytes | None = None
    media_type: str = ""
    render: str | None = None
    """A report format (``reportformat.render``) to answer with, as UTF-8 bytes; ``None``: the
    :class:`~hrgraph.validation.validate.ValidationReport` itself."""


class ValidationRefused(HrgraphError):
    """The validation cannot be answered: ``status`` and a message for the user."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message, status=status, retry_after=retry_after)
        self.message = message


# --- the validation process --------------------------------------------------------------------


def _main(connection: Connection, job: ValidationJob) -> None:
    from hrgraph.processes import exit_with_parent, limit_memory

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_memory(job.settings.limits.max_memory_mb)
    exit_with_parent()
    try:
        reply: tuple[object, ...] = ("ok", _perform(job))
    except ValidationRefused as refused:
        reply = ("error", refused.status, refused.message)
    except MemoryError:
        reply = ("error", 500, _out_of_memory(job.settings))
    except Exception:
        log.exception("validation failed in process %d", os.getpid())
        reply = ("error", 500, "the validation could not be completed (an internal error)")
    try:
        connection.send(reply)
    except MemoryError:
        connection.send(("error", 500, _out_of_memory(job.settings)))
    connection.close()


def _perform(job: ValidationJob) -> object:
    from hrgraph.rdf import uploads
    from hrgraph.validation.errors import ValidationInputError, ValidatorFailure
    from hrgraph.validation.reportformat import render
    from hrgraph.validation.validate import validate, validate_upload

    settings = job.settings
    try:
        if job.upload is None:
            report = validate(settings, as_of=job.day, shape_files=list(job.shape_files))
        else:
            try:
                triples = uploads.parse_upload(
                    job.upload, job.media_type, settings.limits.max_upload_bytes
                )
            except uploads.UploadRefused as error:
                raise ValidationRefused(error.status, str(error)) from None
            report = validate_upload(
                settings, triples, as_of=job.day, shape_files=list(job.shape_files)
            )
    except ValidationInputError as error:
        raise ValidationRefused(400, scrub(str(error), settings)) from None
    except ValidatorFailure:
        raise ValidationRefused(
            500, "the validator failed (this is not a finding about the data)"
        ) from None
    if job.render is not None:
        return render(report, job.render).encode("utf-8")
    return report


def scrub(message: str, settings: Settings) -> str:
    """No local paths in messages: the project folder is cut from them."""
    root = str(settings.root.resolve())
    return message.replace(root + "/", "").replace(str(settings.root) + "/", "")


def _out_of_memory(settings: Settings) -> str:
    return (
        f"the validation needed more memory than one may use ({settings.limits.max_memory_mb} "
        "MB); validate a smaller document"
    )


# --- the server side ---------------------------------------------------------------------------


class ValidationRunner:
    """Runs validations in processes, a bounded number at a time; thread-safe."""

    def __init__(self, settings: Settings) -> None:
        self.settings = dataclasses.replace(settings, write_token=None)
        service = settings.service
        self.capacity = service.validation_workers + service.validation_queue
        self._running = threading.BoundedSemaphore(max(1, service.validation_workers))
        self._lock = threading.Lock()
        self._admitted = 0
        self._context = multiprocessing.get_context("spawn")

    def admitted(self) -> int:
        with self._lock:
            return self._admitted

    def admit(self) -> Callable[[], None]:
        """Take a place, or :class:`ValidationRefused` 503 when every place is taken; returns
        the function that gives it back (idempotent)."""
        service = self.settings.service
        with self._lock:
            if self._admitted >= self.capacity:
                raise ValidationRefused(
                    503,
                    "the service is busy: every validation place is taken; try again in "
                    f"{service.retry_after_s} s",
                    service.retry_after_s,
                )
            self._admitted += 1
        released = threading.Lock()

        def release() -> None:
            if released.acquire(blocking=False):
                with self._lock:
                    self._admitted -= 1

        return release

    def run(self, job: ValidationJob, cancel: threading.Event | None = None) -> object:
        """Run an admitted ``job``: wait for a running place (at most ``queue_timeout_s``),
        then validate in a new process with the deadline; :class:`ValidationRefused` with the
        status to answer when it cannot."""
        service = self.settings.service
        deadline = time.monotonic() + service.queue_timeout_s
        while not self._running.acquire(timeout=POLL_S):
            if cancel is not None and cancel.is_set():
                raise ValidationRefused(503, "the client disconnected")
            if time.monotonic() >= deadline:
                raise ValidationRefused(
                    503,
                    "the service is busy: no validation finished within "
                    f"{service.queue_timeout_s:g} s; try again in {service.retry_after_s} s",
                    service.retry_after_s,
                )
        try:
            return self._in_process(job, cancel)
        finally:
            self._running.release()

    def _in_process(self, job: ValidationJob, cancel: threading.Event | None) -> object:
        job = dataclasses.replace(job, settings=self.settings)
        timeout = self.settings.service.validation_timeout_s
        receiving, sending = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_main, args=(sending, job), name="hrgraph-validation", daemon=True
        )
        process.start()
        sending.close()
        deadline = time.monotonic() + timeout
        try:
            while not receiving.poll(POLL_S):
                if cancel is not None and cancel.is_set():
                    log.info("client gone: killing validation process %s", process.pid)
                    raise ValidationRefused(503, "the client disconnected")
                if time.monotonic() >= deadline:
                    raise ValidationRefused(
                        503,
                        f"the validation ran past the deadline of {timeout:g} s and was "
                        "stopped; validate a smaller document or fewer shapes",
                        self.settings.service.retry_after_s,
                    )
                if not process.is_alive() and not receiving.poll(0):
                    break
            try:
                reply = receiving.recv()
            except (EOFError, OSError):
                raise self._crashed(process) from None
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            receiving.close()
        if reply[0] == "ok":
            return reply[1]
        raise ValidationRefused(reply[1], reply[2])

    def _crashed(self, process: multiprocessing.process.BaseProcess) -> ValidationRefused:
        process.join(1)
        code = process.exitcode
        log.warning("validation process %s stopped (exit code %s)", process.pid, code)
        if code in {-signal.SIGABRT, -signal.SIGKILL}:
            return ValidationRefused(500, _out_of_memory(self.settings))
        return ValidationRefused(500, "the validation stopped its process (it crashed)")
