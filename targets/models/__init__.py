"""The models of `targets`, split by meaning: the shared vocabulary of data fields, field groups
and registry counts (`fields`, `registry`), and the programmes judged with it (`programmes`).
`from targets.models import X` keeps working for every name below.
"""

from .fields import (
    Field,
    FieldGroup,
    FieldMeaningLocked,
    Frequency,
    TimeKind,
    field_groups,
)
from .programmes import (
    SHOWN_STATUSES,
    Comparison,
    Display,
    Indicator,
    IndicatorKind,
    Programme,
    ProgrammeStatus,
    Target,
    TaskGroup,
)
from .registry import (
    RegistryCount,
    RegistryCountLocked,
    registry_count_labels,
    registry_count_relied_on,
)

__all__ = [
    "SHOWN_STATUSES",
    "Comparison",
    "Display",
    "Field",
    "FieldGroup",
    "FieldMeaningLocked",
    "Frequency",
    "Indicator",
    "IndicatorKind",
    "Programme",
    "ProgrammeStatus",
    "RegistryCount",
    "RegistryCountLocked",
    "Target",
    "TaskGroup",
    "TimeKind",
    "field_groups",
    "registry_count_labels",
    "registry_count_relied_on",
]
