"""AppTest: the report buttons on the cockpit and on the Compare page, in the session's
language; a report that fails becomes a short file that says why, never a broken page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pages._ui.widgets.report import deferred_file
from roi_model.report.document import Document

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def _buttons(at: AppTest, prefix: str) -> dict[str, str]:
    """The report's download buttons on the page: their key's format and their label."""
    found = {}
    for element in at.get("download_button"):
        key = element.proto.id.rsplit("-", 1)[-1]
        if key.startswith(prefix):
            found[key.removeprefix(prefix)] = element.proto.label
    return found


def test_the_cockpit_offers_the_report_in_three_formats() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert _buttons(at, "scenario_report_") == {
        "html": "Report for the client",
        "pdf": "PDF",
        "xlsx": "Excel",
    }


def test_in_spanish_the_button_says_informe_para_el_cliente() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "es"
    at.run()
    assert _buttons(at, "scenario_report_")["html"] == "Informe para el cliente"


def test_the_compare_page_offers_the_comparisons_report() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    at.switch_page("pages/3_Compare.py").run()
    assert not at.exception
    assert set(_buttons(at, "comparison_report_")) == {"html", "pdf", "xlsx"}


def test_a_report_that_fails_is_a_file_that_says_why() -> None:
    def broken() -> Document:
        raise ValueError("the draws ran out")

    made = deferred_file(broken, "pdf")()
    assert made.decode("utf-8") == "The report could not be made: the draws ran out"
