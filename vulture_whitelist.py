"""Names vulture cannot see used: read by templates, settings strings, Django, openpyxl, or
required by a signature (axes' lockout callable, a database router). Regenerate the candidates
with `make deadcode VULTURE_ARGS=--make-whitelist` and keep here only names really used; a dead
one is removed from the code instead.
"""

# ruff: noqa
# mypy: ignore-errors
# fmt: off

_.first_name  # unused attribute (accounts/bulk.py:197)
password1  # unused variable (accounts/forms.py:131)
password2  # unused variable (accounts/forms.py:137)
_.first_name  # unused attribute (accounts/services.py:68)
_.last_name  # unused attribute (accounts/services.py:68)
AddressAwareHandler  # unused class (accounts/throttling.py:27)
locked_out  # unused function (accounts/views.py:138)
original_response  # unused variable (accounts/views.py:139)
key_hash  # unused variable (api/models.py:26)
created_at  # unused variable (api/models.py:27)
HTML_PAGES  # unused variable (api/urls.py:20)
abulk_create  # unused variable (audit/models.py:57)
audit_trail  # unused function (audit/templatetags/audit_trail.py:14)
_.successor_id  # unused attribute (bench/synthetic_tree.py:211)
portal  # unused function (config/context_processors.py:12)
_catalogue  # unused function (config/django_messages.py:8)
logger  # unused variable (config/hardening.py:31)
ReplicaRouter  # unused class (config/routers.py:115)
obj1  # unused variable (config/routers.py:130)
obj2  # unused variable (config/routers.py:130)
pos  # unused variable (dashboards/charts.py:63)
_.plot_height  # unused property (dashboards/charts.py:89)
_.note_y  # unused property (dashboards/charts.py:93)
baseline_assumed  # unused variable (dashboards/selectors.py:255)
projection_end  # unused variable (dashboards/selectors.py:256)
projection_from  # unused variable (dashboards/selectors.py:257)
_.reform_codes  # unused property (dashboards/selectors.py:261)
_.by_status  # unused method (dashboards/tables.py:51)
_.by_kind  # django-filter calls it by name (dashboards/tables.py)
_.body_html  # unused method (dashboards/tables.py:87)
quarter_words  # unused function (dashboards/templatetags/figures.py:103)
spark  # unused function (dashboards/templatetags/figures.py:176)
href  # unused variable (dashboards/views.py:164)
_.creator  # unused attribute (dashboards/workbook.py:48)
_.orientation  # unused attribute (dashboards/workbook_cells.py:185)
_.paperSize  # unused attribute (dashboards/workbook_cells.py:186)
_.fitToWidth  # unused attribute (dashboards/workbook_cells.py:187)
_.fitToHeight  # unused attribute (dashboards/workbook_cells.py:188)
_.horizontalCentered  # unused attribute (dashboards/workbook_cells.py:189)
_.print_title_rows  # unused attribute (dashboards/workbook_cells.py:192)
_.freeze_panes  # unused attribute (dashboards/workbook_cells.py:196)
_.smooth  # unused attribute (dashboards/workbook_sheets.py:269)
_.dashStyle  # unused attribute (dashboards/workbook_sheets.py:270)
_.dashStyle  # unused attribute (dashboards/workbook_sheets.py:271)
_.is_staff  # unused attribute (demo/accounts.py:31)
recipient  # unused variable (notifications/models.py:34)
last_error  # unused variable (notifications/models.py:53)
created_at  # unused variable (notifications/models.py:54)
next_attempt_at  # unused variable (notifications/models.py:55)
sent_at  # unused variable (notifications/models.py:56)
reopened  # unused variable (notifications/models.py:90)
reminder  # unused variable (notifications/models.py:91)
_.wants  # unused method (notifications/models.py:100)
_.last_error  # unused attribute (notifications/services.py:164)
_.next_attempt_at  # unused attribute (notifications/services.py:169)
_.last_error  # unused attribute (notifications/services.py:172)
_.sent_at  # unused attribute (notifications/services.py:172)
signer_on_behalf  # unused variable (printing/document.py:35)
signer_title  # unused variable (printing/document.py:36)
_.security  # unused attribute (reports/excel.py:98)
_.border  # unused attribute (reports/excel.py:152)
_.fill  # unused attribute (reports/excel.py:152)
_.border  # unused attribute (reports/excel.py:168)
_.fill  # unused attribute (reports/excel.py:178)
_.border  # unused attribute (reports/excel.py:208)
_.fill  # unused attribute (reports/excel.py:208)
_.fill  # unused attribute (reports/excel.py:217)
_.border  # unused attribute (reports/excel.py:219)
_.orientation  # unused attribute (reports/excel.py:223)
_.hidden  # unused attribute (reports/excel.py:229)
_.formatColumns  # unused attribute (reports/excel.py:231)
_.formatRows  # unused attribute (reports/excel.py:232)
_.paperSize  # unused attribute (reports/excel.py:233)
_.fitToWidth  # unused attribute (reports/excel.py:234)
_.fitToHeight  # unused attribute (reports/excel.py:235)
_.fitToPage  # unused attribute (reports/excel.py:236)
_.print_title_rows  # unused attribute (reports/excel.py:237)
_.freeze_panes  # unused attribute (reports/excel.py:238)
_.number_help  # unused property (reports/forms.py:149)
DAY_14  # unused variable (reports/models.py:21)
created_at  # unused variable (reports/models.py:163)
updated_at  # unused variable (reports/models.py:164)
updated_by  # unused variable (reports/models.py:165)
DUE_SOON  # unused variable (reports/models.py:327)
report_unit  # unused variable (reports/models.py:334)
recipient  # unused variable (reports/models.py:345)
registry_note  # unused variable (reports/selectors.py:69)
_.registry_note  # unused attribute (reports/selectors.py:136)
unit_name  # unused variable (reports/selectors.py:150)
on_time  # unused variable (reports/selectors.py:203)
days_late  # unused variable (reports/selectors.py:204)
_.only_once  # unused property (reports/selectors.py:210)
_.updated_by  # unused attribute (reports/services.py:229)
_.absence_label  # unused property (reports/tracking_grid.py)
_.rate  # unused property (reports/tracking_grid.py)
_.is_late  # used by the tracking grid template (reports/tracking_grid.py)
updated_at  # unused variable (reports/views.py:81)
_.sort_value  # unused property (rollup/breakdown.py:62)
_.status_rank  # unused property (rollup/breakdown.py:66)
_.name_key  # unused property (rollup/breakdown.py:70)
_.adds_up  # unused property (rollup/breakdown.py:89)
figures_as_of  # new: read by the health and freshness work of other branches
built_at  # unused variable (rollup/models.py:74)
FLOW  # unused variable (targets/models/fields.py)
help_vi  # unused variable (targets/models/fields.py)
help_en  # unused variable (targets/models/fields.py)
GT  # unused variable (targets/models/programmes.py)
# a registry count's kinds and sectors in words, read by templates/targets/registry_count_list.html
_.kinds_display  # unused property (targets/models/registry.py)
_.sectors_display  # unused property (targets/models/registry.py)
can_see  # the one-unit access check; pages ask through querysets today, the API rewrite may use it
fk_name  # unused variable (unions/admin.py:8)
can_delete  # unused variable (unions/admin.py:10)
_.input_type  # unused attribute (unions/forms.py:135)
unit_descendants  # the tree below a unit on a date: the tests' reference reader of the hierarchy
# Model fields read by the programme definition file (targets.definition, by column name) and
# by templates through the language of the page.
label_en  # unused variable (targets/models/)
name_en  # unused variable (targets/models/programmes.py)
text_vi  # unused variable (targets/models/programmes.py)
text_en  # unused variable (targets/models/programmes.py)
# python-docx reads the layout set as attributes (page size, margins, spacing); templates read the inbox's counts.
_.autofit  # unused attribute
_.awaiting_more  # unused property
_.bottom_margin  # unused attribute
_.first_line_indent  # unused attribute
_.left_margin  # unused attribute
_.page_height  # unused attribute
_.page_width  # unused attribute
_.returned_more  # unused property
_.right_margin  # unused attribute
_.space_after  # unused attribute
_.space_before  # unused attribute
_.top_margin  # unused attribute
_.underline  # unused attribute
# django-ninja calls the API's routes, authenticators and schema settings by registration.
json_dumps_params  # unused variable (api/http.py)
_.authenticate  # unused method (api/http.py)
param_name  # unused variable (api/http.py)
model_config  # unused variable (api/schemas.py)
parent_name  # unused variable (api/schemas.py)
progress_view  # unused function (api/views.py)
unit_list  # unused function (api/views.py)
unit_detail  # unused function (api/views.py)
# Django's ModelChoiceField calls it; templates read the others.
_.label_from_instance  # unused attribute (reports/forms.py)
_.due_count  # unused property (reports/selectors.py)
picker  # unused variable (unions/forms.py)
_.help_text  # unused attribute (a form field's help set after creation)

# The audit entry's content is passed to the model by field name (audit.chain.EntryContent.fields).
actor_username  # unused variable (audit/chain.py)
_render  # Django's Widget.render calls it (lib/widgets.py)
renderer  # the signature of Widget._render (lib/widgets.py)
abstract  # Meta of the abstract models (rollup/models.py)
_.output_field  # read by Django's expressions (lib/sql.py JoinedIds)
_.as_sqlite  # called by Django's compiler on SQLite (lib/sql.py JoinedIds)
_.function  # read by Django's Aggregate.as_sql (lib/sql.py JoinedIds)
