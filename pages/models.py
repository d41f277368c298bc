from django.db import models


class CachedPage(models.Model):
    """A public page as rendered for anonymous visitors, kept by :mod:`pages.cache`.

    The table is UNLOGGED (see the migration): a cache, lost on a crash of the server and
    rebuilt by the next visits, that costs no write-ahead log. Only :mod:`pages.cache`
    reads and writes it, in SQL.
    """

    key = models.CharField(max_length=64, primary_key=True)
    # The content version the page was rendered under: served only while it is current.
    version = models.BigIntegerField()
    expires = models.DateTimeField(db_index=True)
    status = models.PositiveSmallIntegerField()
    headers = models.JSONField()
    body = models.BinaryField()
    # The Content-Security-Policy nonce in the page, replaced by a fresh one on every hit.
    nonce = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "cached page"

    def __str__(self):
        return self.key
