"""Field groups are data; a field holding values cannot change its meaning."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from targets.models import Field, FieldGroup, FieldMeaningLocked, field_groups
from tests.conftest import approved


def new_field(code: str = "volunteers", group: str = "members") -> Field:
    return Field(
        code=code,
        label_vi="Tình nguyện viên",
        label_en="Volunteers",
        group=group,
        time_kind="stock",
    )


def test_the_six_groups_are_rows_in_form_order(programme):
    assert [g.code for g in field_groups()] == [
        "members",
        "grassroots",
        "ratings",
        "finance",
        "labour",
        "culture",
    ]
    with translation.override("vi"):
        assert field_groups()[0].label == "Đoàn viên, NLĐ"


def test_a_new_group_needs_no_migration_and_an_unknown_one_is_refused(programme):
    field = new_field(group="volunteering")
    with pytest.raises(ValidationError) as refused, translation.override("vi"):
        field.full_clean()
    assert "volunteering" in str(refused.value.message_dict["group"])
    FieldGroup.objects.create(code="volunteering", label_vi="Tình nguyện", label_en="Volunteering")
    field.full_clean()
    field.save()
    assert Field.objects.get(code="volunteers").group == "volunteering"


def test_a_field_without_values_may_still_be_corrected(programme):
    members = Field.objects.get(code="members")
    members.frequency = "annual"
    members.save()
    assert Field.objects.get(code="members").frequency == "annual"


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("time_kind", "flow"),
        ("frequency", "annual"),
        ("province_only", True),
        ("registry_count", "upper_units"),
        ("code", "members_new"),
    ],
)
def test_a_field_with_figures_keeps_its_meaning(small_tree, programme, attribute, value):
    approved(small_tree.d2, programme, "2025Q2", members=200, workers_union_units=220)
    members = Field.objects.get(code="members")
    setattr(members, attribute, value)
    with pytest.raises(FieldMeaningLocked) as refused, translation.override("vi"):
        members.save()
    assert "members" in refused.value.message and "trường mới" in refused.value.message
    assert refused.value.changed == [attribute]
    assert not Field.objects.filter(pk=members.pk, **{attribute: value}).exists()


def test_a_field_with_figures_may_be_reworded(small_tree, programme):
    approved(small_tree.d2, programme, "2025Q2", members=200, workers_union_units=220)
    members = Field.objects.get(code="members")
    members.label_en = "Trade union members"
    members.group = "grassroots"  # another section of the form; the same meaning
    members.save()
    assert Field.objects.get(code="members").label_en == "Trade union members"
