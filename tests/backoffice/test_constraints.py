"""The review flow's invariants hold in the database, whatever the code above it does."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from backoffice.models import Revision
from laboratories.models import Lab

pytestmark = pytest.mark.django_db


def revision(lab, author, **fields):
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(Lab),
        object_id=lab.pk,
        object_repr=str(lab),
        author=author,
        submitted_at=timezone.now(),
        changes={"name_en": "x"},
        **fields,
    )


def test_one_pending_revision_per_entry(own_lab, referent_user):
    revision(own_lab, referent_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        revision(own_lab, referent_user)


def test_a_reviewed_revision_has_its_reviewer_and_date(own_lab, referent_user, staff_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        revision(own_lab, referent_user, status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        revision(own_lab, referent_user, reviewer=staff_user, reviewed_at=timezone.now())
    revision(
        own_lab, referent_user, status="approved", reviewer=staff_user, reviewed_at=timezone.now()
    )


def test_a_rejection_says_why(own_lab, referent_user, staff_user):
    reviewed = {"reviewer": staff_user, "reviewed_at": timezone.now()}
    with pytest.raises(IntegrityError), transaction.atomic():
        revision(own_lab, referent_user, status="rejected", **reviewed)
    revision(own_lab, referent_user, status="rejected", review_message="Why", **reviewed)
