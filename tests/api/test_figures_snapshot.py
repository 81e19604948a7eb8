"""scripts/figures_snapshot.py, the before/after figure dump of issue 19, on a small tree: it
reads what the API answers (without `as_of`) and the workbook's cells, and writes nothing."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import User
from targets.models import Programme

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "figures_snapshot.py"


def load_script():
    spec = importlib.util.spec_from_file_location("figures_snapshot", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_snapshot_holds_the_api_figures_and_the_workbook_cells(reported, office_user):
    script = load_script()
    programme = Programme.objects.get()
    assert script.units_read(every=False) == {
        "P": True, "D1": True, "D2": True, "W1": False,
        "C11": False, "C12": False, "C21": False, "C22": False,
    }  # fmt: skip
    assert len(script.periods(programme, every=True)) == 6 + 24 + 1
    data = script.snapshot({"D2": False})
    logins = User.objects.get(pk=office_user.pk).last_login
    assert logins is None  # rolled back: the office's login left no trace

    api = data[f"api|{programme.code}"]
    assert api["programme"]["status"] == 200
    year = script.periods(programme, every=False)[1]
    answer = api[f"D2|{year}|as_was"]
    assert answer["status"] == 200 and "as_of" not in answer["body"]
    client = Client()  # in the portal's language, as the script reads
    client.force_login(office_user)
    direct = client.get(
        "/api/v1/progress/", {"unit": "D2", "period": year, "programme": programme.code}
    ).json()
    del direct["as_of"]
    assert answer["body"] == json.loads(json.dumps(direct))

    books = {k: v for k, v in data.items() if k.startswith("workbook|")}
    assert books, "no workbook read"
    cells = next(v for v in books.values() if "refused" not in v)
    assert any(key.startswith("Tổng hợp!") for key in cells)
    assert all("!" in key for key in cells)
    json.dumps(data, sort_keys=True)  # plain values only
