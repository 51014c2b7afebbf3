"""The synthetic county every benchmark line reads, built once and cached.

    .venv/bin/python bench/county.py [--quick]     # build (or find) the cached county

``generate_demo`` writes the households, persons and referrals in one transaction, the
same way ``desk-app demo`` does. The file is cached under ``bench/.cache`` (gitignored) and
named by its size, seed and :data:`VERSION`, so a change of the generator is a new file.
A benchmark that writes works on a copy (:func:`scratch_copy`), never on the cache.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CACHE = ROOT / "bench" / ".cache"
VERSION = 2
"""Bump when ``generate_demo`` changes what it writes: the cached files are rebuilt."""
SEED = 10


@dataclass(frozen=True)
class Size:
    households: int
    referrals: int


FULL = Size(30_000, 50_000)
"""A county: about 30,000 households, 100,000 persons and 50,000 referrals."""
QUICK = Size(1_000, 2_000)
"""The CI smoke test: built in a few seconds."""


def county(size: Size) -> Path:
    """The cached county database of ``size``, built on first use."""
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - not needed by children
    from desk_app.demo import generate_demo  # noqa: PLC0415
    from desk_app.persistence.db import sqlite_url  # noqa: PLC0415
    from desk_app.services.context import SYSTEM  # noqa: PLC0415

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"county-v{VERSION}-{size.households}h-{size.referrals}r.sqlite3"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    services = open_services(sqlite_url(tmp), identity=SYSTEM)
    summary = generate_demo(services, size.households, seed=SEED, referrals=size.referrals)
    services.close()
    print(
        f"built the county ({summary.households:,} households, {summary.persons:,} persons, "
        f"{summary.referrals:,} referrals) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    tmp.rename(path)
    return path


def scratch_copy(db: Path, name: str) -> Path:
    """A copy of ``db`` to write to; remove it with :func:`remove_db`."""
    out = db.with_name(f"scratch-{name}.sqlite3")
    remove_db(out)
    shutil.copyfile(db, out)
    return out


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(county(QUICK if args.quick else FULL))
    return 0


if __name__ == "__main__":
    sys.exit(main())
