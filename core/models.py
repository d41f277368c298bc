from django.db import models
from django.db.models.functions import Now


class ContentChange(models.Model):
    """One row per transaction that wrote to a content table (see :mod:`core.content`).

    Written only by the database triggers that :func:`core.content.track_content_tables`
    installs; never by the ORM.
    """

    xid = models.BigIntegerField(primary_key=True)
    changed_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = "content change"
        ordering = ["-xid"]

    def __str__(self):
        return f"{self.xid} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
