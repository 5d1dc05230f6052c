"""Writes sample.tgz for TarballTest with Python's tarfile module (ustar format): a directory,
two small files, one file whose long path needs the ustar prefix field, and a symbolic link.
Run: python3 make_tarball_fixture.py
"""
import io
import tarfile

LONG_DIR = "package/" + "d" * 90 + "/" + "e" * 20


def add_file(tar, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = 1_600_000_000
    tar.addfile(info, io.BytesIO(content))


with tarfile.open("sample.tgz", "w:gz", format=tarfile.USTAR_FORMAT) as tar:
    directory = tarfile.TarInfo("package/data")
    directory.type = tarfile.DIRTYPE
    directory.mtime = 1_600_000_000
    tar.addfile(directory)
    add_file(tar, "package/data/first", b"hello tar\n")
    add_file(tar, "package/data/second", bytes(range(256)) * 3)  # 768 bytes: crosses a block boundary
    add_file(tar, LONG_DIR + "/long-named-file", b"prefix field used\n")
    link = tarfile.TarInfo("package/data/link")
    link.type = tarfile.SYMTYPE
    link.linkname = "first"
    link.mtime = 1_600_000_000
    tar.addfile(link)
