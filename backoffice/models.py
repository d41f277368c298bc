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


class Revision(models.Model):
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

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of entry"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("entry id"))
    entry = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("title of the entry"), max_length=250)
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
