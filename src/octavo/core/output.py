"""Writing outputs atomically: a reader of build/ sees the old file or the new one, never half.

Each output is written to a temporary file beside its target (same folder, so same file
system), flushed to disk, then renamed over the target in one step. A failure or an interrupt
(Ctrl-C, SIGTERM: the CLI turns both into exceptions) removes the temporary file and leaves the
previous output as it was. Two builds into one folder at once each rename a complete file of
their own: the last one wins, and both leave valid files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from octavo.core.errors import RenderError

TEMP_PREFIX = ".octavo-"
TEMP_SUFFIX = ".tmp"


def prepare_dir(out_dir: Path) -> Path:
    """Create the output folder if it is missing; refuse one that cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise RenderError("the output folder is a file, not a folder", out_dir) from None
    except OSError as exc:
        raise RenderError(f"cannot create the output folder: {exc.strerror}", out_dir) from None
    if not os.access(out_dir, os.W_OK):
        raise RenderError("the output folder is not writable", out_dir)
    return out_dir


def _write_error(target: Path, exc: OSError) -> RenderError:
    reason = exc.strerror or str(exc)
    return RenderError(
        f"cannot write {target.name}: {reason}; the previous file is untouched", target
    )


def _flush_to_disk(path: Path) -> None:
    """So that a full disk is reported now, and a crash after the rename finds whole bytes."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` only on success.
    An OSError while writing (a full disk, a read-only folder) becomes a RenderError."""
    try:
        fd, name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise _write_error(target, exc) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _flush_to_disk(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(target, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
