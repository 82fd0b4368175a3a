"""Atomic writes: the mode an ordinary file gets, and a failure that is one line naming the file."""
import errno
import os
import stat

import pytest

from generator.errors import WriteError
from generator.fileio import write_atomic


@pytest.fixture
def umask():
    def set_umask(value):
        os.umask(value)
    old = os.umask(0o022)
    yield set_umask
    os.umask(old)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_a_new_file_gets_the_mode_the_umask_gives_not_mkstemps_0600(tmp_path, umask, mask, expected):
    umask(mask)
    write_atomic(tmp_path / "a.md", "text\n")
    assert mode(tmp_path / "a.md") == expected


def test_an_existing_files_mode_is_kept(tmp_path, umask):
    path = tmp_path / "a.md"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert mode(path) == 0o640 and path.read_text() == "new\n"


def test_a_full_disk_is_a_write_error_naming_the_file_and_the_old_file_stays(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text("old\n")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("generator.fileio.os.fsync", full)
    with pytest.raises(WriteError) as info:
        write_atomic(path, "new\n")
    assert str(info.value) == f"{path}: cannot be written: No space left on device"
    assert path.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_a_directory_in_the_files_place_is_a_write_error_naming_the_file(tmp_path):
    (tmp_path / "state.json").mkdir()
    with pytest.raises(WriteError) as info:
        write_atomic(tmp_path / "state.json", "{}\n")
    assert str(info.value).startswith(f"{tmp_path / 'state.json'}: cannot be written: ")
    assert "\n" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_write_that_need_not_survive_a_crash_skips_the_fsync_but_stays_atomic(tmp_path, monkeypatch):
    import os as os_module

    from generator import fileio
    synced = []
    monkeypatch.setattr(os_module, "fsync", lambda fd: synced.append(fd))
    fileio.write_atomic(tmp_path / "kept.txt", "durable")
    fileio.write_atomic(tmp_path / "built.html", "rebuilt if lost", durable=False)
    assert len(synced) == 1
    assert (tmp_path / "built.html").read_text() == "rebuilt if lost" and sorted(os_module.listdir(tmp_path)) == [
        "built.html", "kept.txt"]
