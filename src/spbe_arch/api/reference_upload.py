"""Reading an official reference list sent over HTTP, for `/api/referensi` and the web page
`/ui/referensi` alike, so that both refuse a file in the same words and statuses: too large
(413), not a list file (415), every problem of the list (422, `InputProblems`), a repository
without the reference to replace (409)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from spbe_arch.errors import InputError, Location
from spbe_arch.model.instansi import SERVER_REFERENCE_STEP
from spbe_arch.reference.lists import LIST_SUFFIXES
from spbe_arch.reference.replace import OfficialList, check_scheme, read_official_list
from spbe_arch.settings import Settings


class UploadTooLargeError(InputError):
    http_status = 413


class NotAListFileError(InputError):
    http_status = 415


class ReferenceMissingError(InputError):
    """The repository lacks the reference (or the scheme) to replace: its state, not the
    request, is wrong (409, as `/api/instansi` says it)."""

    http_status = 409


def repository_lacks(exc: InputError) -> InputError:
    """A reference (version or scheme) the repository does not hold, and how to load it."""
    return ReferenceMissingError(f"{exc.message_id}; {SERVER_REFERENCE_STEP[0]}",
                                 f"{exc.message_en}; {SERVER_REFERENCE_STEP[1]}")


def official_list_from_upload(data: bytes, file_name: str, scheme: str,
                              settings: Settings) -> OfficialList:
    """Check `scheme` and read an uploaded list (its bytes and the name it was sent under)
    with the service's reader; refused above the upload limit, for a kind of file the
    reader does not take, and with every problem of the list (`InputProblems`)."""
    check_scheme(scheme)  # RAB/RAL/RAD are refused whatever file came with them
    if len(data) > settings.max_upload_bytes:
        limit = f"{settings.max_upload_bytes / 1024 / 1024:g}"
        raise UploadTooLargeError(f"berkas lebih besar dari batas {limit} MB",
                                  f"the file is larger than the {limit} MB limit",
                                  Location(file=file_name))
    # only the name's last part is shown: a browser may send a whole path
    shown = Path(file_name.replace("\\", "/")).name or "daftar"
    suffix = Path(shown).suffix.lower()
    if suffix not in LIST_SUFFIXES:
        raise NotAListFileError(
            f"'{shown}' bukan daftar kode .csv, .xlsx atau .json",
            f"'{shown}' is not a .csv, .xlsx or .json code list")
    # the reader takes a path (its kind from the suffix); the name is never the client's
    with tempfile.TemporaryDirectory(prefix="spbe-referensi-") as folder:
        path = Path(folder) / f"daftar{suffix}"
        path.write_bytes(data)
        return read_official_list(path, scheme, file_name=shown)


__all__ = ["NotAListFileError", "ReferenceMissingError", "UploadTooLargeError",
           "official_list_from_upload", "repository_lacks"]
