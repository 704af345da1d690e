"""Every worked example in ../shared/samples/evm_vectors.json, checked against its figures.

Each vector gives inputs (upper-case names, as its source prints them) and expected metrics.
A cited figure is checked to its printed precision (``abs_tol``); every figure is also checked
against ``exact``, the value recomputed from the inputs, to its ten printed decimals. Where a
source misprints a figure (``abs_tol`` is null and a note says SOURCE ERROR) only ``exact``
applies.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pmcore.finance import EarnedSchedule, earned_schedule, evm_metrics

VECTORS_FILE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "evm_vectors.json"
DATA = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
VECTORS = DATA["vectors"]

# `exact` is printed with at most ten decimals: half a unit of the tenth.
EXACT_TOL = Decimal("5e-11")

# The file's EAC variants by the suffix of their keys, and our eac_method for each.
EAC_VARIANTS = {"bac_over_cpi": "cpi", "atypical": "atypical", "cpi_spi": "cpi_spi",
                "bottom_up": "bottom_up"}


def _evm_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    names = {"BAC": "bac", "PV": "pv", "EV": "ev", "AC": "ac", "ETC": "etc"}
    return {names[key]: value for key, value in inputs.items() if key in names}


def _metric(inputs: dict[str, Any], key: str) -> Decimal | None:
    """The figure the file calls ``key``, computed by pmcore from ``inputs``."""
    if "ES" in inputs and "AT" in inputs:
        es = EarnedSchedule.from_es(es=inputs["ES"], at=inputs["AT"], pd=inputs.get("PD"))
        return {"ES": es.es, "SV_t": es.sv_t, "SPI_t": es.spi_t, "IEAC_t": es.ieac_t}[key]
    if "PV_cumulative" in inputs:
        es = earned_schedule(pv_cumulative=inputs["PV_cumulative"], ev=inputs["EV"],
                             at=inputs["AT"], pd=inputs.get("PD"))
        return {"ES": es.es, "SV_t": es.sv_t, "SPI_t": es.spi_t, "IEAC_t": es.ieac_t}[key]
    base = _evm_inputs(inputs)
    name, _, variant = key.partition("_")
    if name in {"EAC", "ETC", "VAC"} and variant in EAC_VARIANTS:
        m = evm_metrics(**base, eac_method=EAC_VARIANTS[variant])
        return {"EAC": m.eac, "ETC": m.etc, "VAC": m.vac}[name]
    m = evm_metrics(**base)
    simple: dict[str, Decimal | None] = {
        "SV": m.sv, "CV": m.cv, "SPI": m.spi, "CPI": m.cpi, "TCPI_bac": m.tcpi_bac,
        "TCPI_eac": m.tcpi_eac, "PCIB": None if m.percent_complete is None
        else m.percent_complete / 100}
    return simple[key]


CASES = [pytest.param(vector["inputs"], key, expected, id=f"{vector['id']}-{key}")
         for vector in VECTORS for key, expected in vector["expected"].items()]


def test_the_file_is_the_one_these_tests_read() -> None:
    assert DATA["schema"] == "evm_vectors/1"
    assert {v["id"] for v in VECTORS} >= {"bread_400", "eac_atypical_100k",
                                          "design_build_test_500", "capm_es_ahead"}
    # Every formula the file names has a mapping here.
    assert set(DATA["formulas"]) <= {"CV", "SV", "CPI", "SPI", "PCIB", "EAC_bac_over_cpi",
                                     "EAC_atypical", "EAC_cpi_spi", "EAC_bottom_up", "ETC",
                                     "VAC", "TCPI_bac", "TCPI_eac", "ES", "SV_t", "SPI_t",
                                     "IEAC_t"}


@pytest.mark.parametrize(("inputs", "key", "expected"), CASES)
def test_vector(inputs: dict[str, Any], key: str, expected: dict[str, Any]) -> None:
    got = _metric(inputs, key)
    assert got is not None, f"{key} is undefined for {inputs}"
    assert isinstance(got, Decimal)
    assert abs(got - Decimal(str(expected["exact"]))) <= EXACT_TOL, (got, expected)
    if expected["abs_tol"] is not None:
        assert abs(got - Decimal(str(expected["value"]))) <= Decimal(str(expected["abs_tol"])), \
            (got, expected)
    else:
        # The source's figure is wrong; make sure we do not agree with it by accident.
        assert "SOURCE ERROR" in expected.get("note", "")
        assert got != Decimal(str(expected["value"]))
