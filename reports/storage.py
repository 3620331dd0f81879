"""Where report PDFs are kept: somewhere every web process and worker reaches, never one disk.

By default in Postgres (`StoredFile` rows: a PDF is a few hundred kilobytes, and backups
and retention then cover it); in S3-compatible object storage through django-storages
when REPORT_STORAGE=s3 (settings.STORAGES["reports"]). Downloads always go through the
report view, which checks who is asking: neither store hands out addresses of its own.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible


def report_storage() -> Storage:
    """Return the storage configured for report files (FileField calls this)."""
    return storages["reports"]


@deconstructible
class DatabaseStorage(Storage):
    """Keep files as rows of reports.StoredFile, in the same transaction as the job."""

    def _model(self):
        from reports.models import StoredFile  # the storage is built while models load

        return StoredFile

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode:
            raise ValueError("Stored files are written with save(), not opened for writing.")
        row = self._model().objects.filter(name=name).values_list("content", flat=True).first()
        if row is None:
            raise FileNotFoundError(name)
        stored = ContentFile(bytes(row), name=name)
        stored.mode = mode
        return stored

    def _save(self, name, content):
        content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        try:
            with transaction.atomic():
                self._model().objects.create(name=name, content=data, size=len(data))
        except IntegrityError:  # taken since get_available_name looked: try another name
            return self._save(self.get_available_name(name), ContentFile(data))
        return name

    def delete(self, name):
        self._model().objects.filter(name=name).delete()

    def exists(self, name):
        return self._model().objects.filter(name=name).exists()

    def size(self, name):
        size = self._model().objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def url(self, name):
        raise NotImplementedError("Report files are downloaded through the report view only.")
