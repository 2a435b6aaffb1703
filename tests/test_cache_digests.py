"""File digests are remembered by path, size and modification time (kg.digests): a large
file is hashed once, and again exactly when its size or mtime changes, or when the digest
was taken so soon after the last change that a same-second edit could hide in it."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from kg import digests
from kg.backends.load_records import file_digest


@pytest.fixture
def hashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file actually read to hash it, in order."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[Path] = []
    real = digests._sha256_of

    def counting(path: Path) -> str:
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(digests, "_sha256_of", counting)
    return seen


def _big(path: Path, fill: bytes = b"a", age: float = 60.0) -> Path:
    path.write_bytes(fill * (digests.SMALL_FILE + 10))
    past = time.time_ns() - int(age * 1e9)
    os.utime(path, ns=(past, past))
    return path


def test_a_large_file_is_hashed_once(tmp_path: Path, hashes: list[Path]) -> None:
    big = _big(tmp_path / "big.nt")
    expected = hashlib.sha256(big.read_bytes()).hexdigest()
    assert file_digest(big) == file_digest(big) == file_digest(big) == expected
    assert hashes == [big]


def test_a_changed_size_or_mtime_is_hashed_again(tmp_path: Path, hashes: list[Path]) -> None:
    big = _big(tmp_path / "big.nt")
    first = file_digest(big)
    _big(big, fill=b"b")  # same size, new content, another (old) mtime
    second = file_digest(big)
    assert second != first and len(hashes) == 2
    with open(big, "ab") as out:
        out.write(b"c")
    past = time.time_ns() - 30_000_000_000
    os.utime(big, ns=(past, past))
    assert file_digest(big) not in (first, second) and len(hashes) == 3


def test_a_digest_taken_right_after_a_change_is_not_trusted(
    tmp_path: Path, hashes: list[Path]
) -> None:
    big = _big(tmp_path / "big.nt", age=0)  # modified just now
    file_digest(big)
    file_digest(big)
    assert len(hashes) == 2


def test_small_files_are_always_hashed(tmp_path: Path, hashes: list[Path]) -> None:
    small = tmp_path / "small.ttl"
    small.write_text("<http://a> <http://b> <http://c> .\n")
    stat = small.stat()
    file_digest(small)
    small.write_text("<http://a> <http://b> <http://d> .\n")  # same size
    os.utime(small, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert file_digest(small) == digests._sha256_of(small) and len(hashes) == 3
