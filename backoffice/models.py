from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Revision.Status.PENDING)

    def for_entry(self, entry):
        return self.filter(
            content_type=ContentType.objects.get_for_model(entry, for_concrete_model=False),
            object_id=entry.pk,
        )

    def by_author(self, user):
        return self.filter(author=user)

    def with_list_relations(self):
        return self.select_related("content_type", "author", "reviewer")


class AboutAnEntry(models.Model):
    """What the review queue holds about one content entry, of any kind, and its title as it
    was then (the entry may be renamed or deleted since)."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of entry"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("entry id"))
    entry = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("title of the entry"), max_length=250)

    class Meta:
        abstract = True


class Revision(AboutAnEntry):
    """Changes a referent proposed to a published entry, waiting for Derci staff.

    ``changes`` holds the proposed value of every field the referent changed, both languages
    being separate fields (``name_fr``, ``name_en``), relations as ids; ``original`` holds
    the published values of the same fields when the revision was submitted, and
    ``base_version`` the version of the whole entry it was based on (``versions.py``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    form_fields = models.JSONField(
        _("fields of the form"),
        default=list,
        help_text=_("The fields the author could edit; approval validates them all again."),
    )
    changes = models.JSONField(_("proposed values"), default=dict)
    original = models.JSONField(_("published values when submitted"), default=dict)
    base_version = models.JSONField(
        _("version of the entry it is based on"),
        default=dict,
        blank=True,
        help_text=_("Fingerprints of the published values the author started from."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="reviewed_revisions",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_message = models.TextField(_("message to the author"), blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="revision_entry_idx"),
            models.Index(fields=["status", "submitted_at"], name="revision_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="pending"),
                name="one_pending_revision_per_entry",
                violation_error_message=_("This entry already has changes waiting for review."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", reviewer__isnull=True, reviewed_at__isnull=True)
                | Q(
                    status__in=["approved", "rejected"],
                    reviewer__isnull=False,
                    reviewed_at__isnull=False,
                ),
                name="revision_reviewed_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_message=""),
                name="revision_rejection_says_why",
                violation_error_message=_("Say why the changes are rejected."),
            ),
        ]

    def __str__(self):
        return _("Changes to %(entry)s") % {"entry": self.object_repr}

    def get_absolute_url(self):
        return reverse("admin:backoffice_revision_change", args=[self.pk])

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    def entry_admin_url(self):
        return reverse(
            f"admin:{self.content_type.app_label}_{self.content_type.model}_change",
            args=[self.object_id],
        )


class ErrorReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ErrorReport.Status.OPEN)


class ErrorReport(AboutAnEntry):
    """A visitor's report of a mistake on a public entry page, waiting for Derci staff.

    The reporter may leave an address; they are told when staff mark the report handled.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To handle")
        DONE = "done", _("Handled")

    page_url = models.CharField(_("page"), max_length=500)
    text = models.TextField(_("what is wrong"), max_length=3000)
    email = models.EmailField(_("reporter's e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    reply = models.TextField(
        _("message to the reporter"),
        blank=True,
        help_text=_("Sent with the notice that the report was handled, if they left an address."),
    )

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="errorreport_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", handled_by__isnull=True, handled_at__isnull=True)
                | Q(status="done", handled_by__isnull=False, handled_at__isnull=False),
                name="errorreport_handled_iff_done",
            ),
        ]

    def __str__(self):
        return _("Report on %(entry)s") % {"entry": self.object_repr}

    def get_absolute_url(self):
        return reverse("admin:backoffice_errorreport_change", args=[self.pk])


class SentNotice(models.Model):
    """A reminder already sent, so that a scheduled task run again does not send it twice
    (``key`` names what it was about: an entry and its end date, a referent and a month)."""

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("about"), max_length=200)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="sentnotice_once"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.key}"
