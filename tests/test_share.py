"""Share links: a scenario survives the trip through a URL; anything tampered with is refused."""

from __future__ import annotations

import base64
import copy
import json
import random
import string
import zlib
from dataclasses import fields, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from roi_model import (
    ActionValues,
    Channel,
    Goal,
    GoalMetric,
    GoalTier,
    Investment,
    Lenses,
    Rule,
    Scenario,
)
from roi_model.files.share import (
    CALIBRATION_FIELDS,
    CHANNEL_FIELDS,
    GOAL_FIELDS,
    INVESTMENT_FIELDS,
    LENSES_FIELDS,
    LINK_PARAM,
    LINK_VERSION,
    MAX_JSON_BYTES,
    MAX_TOKEN_LENGTH,
    MONTHS_FIELDS,
    PLAN_FIELDS,
    RANGE_FIELDS,
    STEP_FIELDS,
    VALUES_FIELDS,
    LinkError,
    LinkProblem,
    decode_scenario,
    encode_scenario,
    scenario_link,
    token_from_query,
)
from roi_model.model.spec import Cadence, Calibration, InputRange, Months, PlanRow, ScheduleStep
from tests.strategies import scenarios

#: A small scenario written by hand, and its positional JSON of link version 1, also written by
#: hand: the fields of each spec in order, integral numbers without ".0", the lenses as 0/1.
DEMO = Scenario(
    name="Demo",
    currency="EUR",
    investment=Investment(ad_budget=1000.0, staff_hours=10.0, hourly_rate=25.5),
    values=ActionValues(lead=15.0, order_value=120.0, gross_margin=0.4),
    lenses=Lenses(engagement=False),
    channels=(Channel("Facebook", 1.0, 1.0, cpm=8.0, saturation_spend=4000.0, ctr=0.01),),
    goals=(Goal(GoalTier.PRIMARY, GoalMetric.SALES, 50.0),),
)
DEMO_JSON = (
    '["Demo","EUR",[1000,10,25.5,0],[0,0,0,0,0,15,120,0.4,0],[1,0,1],'
    '[["Facebook",1,1,8,4000,0,0,0,0,0,0.01,0,0,1,0]],[["primary","sales",50]]]'
)
#: DEMO's token as written on the day link version 1 was released: links already sent out
#: must keep opening, whatever zlib build writes new ones.
DEMO_TOKEN = (
    "1.eNpNjcEKgDAMQ_-l5zBaceAHqB8geBo7TNlBVCbbyb-3KoK8Q0NDEkdt3BOBunEgOGFmCKOyxoI9HONDLKRSYerHkPu"
    "l11Ef5jiltBJEaVDfHT8My1uguSdw5GUP-dTRErZYCFYNfwGZXyFM"
)
#: Version 2 adds the plan as an eighth array: DEMO's has none.
DEMO_JSON_V2 = DEMO_JSON[:-1] + ",[]]"
#: DEMO with a plan row, and its positional JSON (version 2) written by hand.
PLANNED = replace(
    DEMO,
    plan=(
        PlanRow(
            "Ventas",
            "Facebook",
            "Coste por lead",
            ("Anuncios", "Formularios"),
            ("leads",),
            "Meta",
            Cadence.WEEKLY,
        ),
    ),
)
PLANNED_JSON = DEMO_JSON[:-1] + (
    ',[["Ventas","Facebook","Coste por lead",["Anuncios","Formularios"],["leads"],"Meta",'
    '"weekly"]]]'
)
#: Version 3 adds the calibration as a ninth array: DEMO's has none.
DEMO_JSON_V3 = DEMO_JSON_V2[:-1] + ",[]]"
PLANNED_JSON_V3 = PLANNED_JSON[:-1] + ",[]]"
#: PLANNED with two calibrated figures (one a saturation found absent), and its version 3 JSON.
CALIBRATED = replace(
    PLANNED,
    calibration=(
        Calibration("Facebook", "cpm", 8.0, 12, "ventas 2025.csv"),
        Calibration("Facebook", "saturation_spend", None, 5, "ventas 2025.csv"),
    ),
)
CALIBRATED_JSON = PLANNED_JSON[:-1] + (
    ',[["Facebook","cpm",8,12,"ventas 2025.csv"],'
    '["Facebook","saturation_spend",null,5,"ventas 2025.csv"]]]'
)
#: Version 4 adds the ranges on the assumptions as a tenth array: none of the above has any.
DEMO_JSON_V4 = DEMO_JSON_V3[:-1] + ",[]]"
PLANNED_JSON_V4 = PLANNED_JSON_V3[:-1] + ",[]]"
CALIBRATED_JSON_V4 = CALIBRATED_JSON[:-1] + ",[]]"
#: CALIBRATED with ranges on three kinds of input, and its version 4 JSON.
RANGED = replace(
    CALIBRATED,
    uncertainty=(
        InputRange("values.order_value", 90.0, 150.5),
        InputRange("channels[*].ctr", 0.005, 0.02),
        InputRange("investment.hourly_rate", 20.0, 30.0),
    ),
)
RANGED_JSON = CALIBRATED_JSON[:-1] + (
    ',[["values.order_value",90,150.5],["channels[*].ctr",0.005,0.02],'
    '["investment.hourly_rate",20,30]]]'
)
#: Version 5 adds the months ahead: a follower value, five channel fields, a goal's by_month and
#: an eleventh array, the months block. DEMO's, written by hand:
DEMO_JSON_V5 = (
    '["Demo","EUR",[1000,10,25.5,0],[0,0,0,0,0,15,120,0.4,0,0],[1,0,1],'
    '[["Facebook",1,1,8,4000,0,0,0,0,0,0.01,0,0,1,0,0,0,0,null,0]],[["primary","sales",50,null]],'
    "[],[],[],[12,0,0,0,0,[]]]"
)


def _as_v5(text: str) -> str:
    """A version 4 document as version 5 writes it, with the months ahead at their defaults."""
    document = json.loads(text)
    document[3].append(0)
    for channel in document[5]:
        channel.extend([0, 0, 0, None, 0])
    for goal in document[6]:
        goal.append(None)
    document.append([12, 0, 0, 0, 0, []])
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


#: The URL-safe base64 alphabet, in the order of the 6-bit values it stands for.
PAYLOAD_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def _positional(token: str) -> str:
    """The JSON text inside a token, decoded independently of the module under test."""
    payload = token.split(".", 1)[1]
    return zlib.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).decode()


def _token(document: Any, *, version: str = "1") -> str:
    """A token for any JSON document (or raw bytes), written the documented way."""
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return f"{version}." + base64.urlsafe_b64encode(zlib.compress(data, 9)).decode().rstrip("=")


def _demo_document() -> list[Any]:
    return json.loads(DEMO_JSON)  # type: ignore[no-any-return]


def _planned_document() -> list[Any]:
    return json.loads(PLANNED_JSON)  # type: ignore[no-any-return]


def _refused(token: str) -> LinkError:
    with pytest.raises(LinkError) as caught:
        decode_scenario(token)
    return caught.value


class TestLayout:
    @pytest.mark.parametrize(
        ("spec", "layout"),
        [
            (Investment, INVESTMENT_FIELDS),
            (ActionValues, VALUES_FIELDS),
            (Lenses, LENSES_FIELDS),
            (Channel, CHANNEL_FIELDS),
            (Goal, GOAL_FIELDS),
            (PlanRow, PLAN_FIELDS),
            (Calibration, CALIBRATION_FIELDS),
            (InputRange, RANGE_FIELDS),
        ],
        ids=[
            "investment",
            "values",
            "lenses",
            "channel",
            "goal",
            "plan-row",
            "calibration",
            "range",
        ],
    )
    def test_link_version_5_pins_each_specs_fields(self, spec: type, layout: tuple[str]) -> None:
        # A spec that gains, loses or reorders a field needs a new link version.
        assert tuple(f.name for f in fields(spec)) == layout
        assert LINK_VERSION == 5

    def test_link_version_5_pins_the_months_fields(self) -> None:
        assert tuple(f.name for f in fields(Months)) == (*MONTHS_FIELDS, "schedule")
        assert tuple(f.name for f in fields(ScheduleStep)) == STEP_FIELDS

    def test_link_version_5_pins_the_scenarios_fields(self) -> None:
        # the positional document holds the scenario's fields in this order
        assert [f.name for f in fields(Scenario)] == [
            "name",
            "currency",
            "investment",
            "values",
            "lenses",
            "channels",
            "goals",
            "plan",
            "calibration",
            "uncertainty",
            "months",
        ]


class TestEncodeScenario:
    def test_golden_positional_json(self) -> None:
        token = encode_scenario(DEMO)
        assert token.startswith("5.")
        assert _positional(token) == DEMO_JSON_V5 == _as_v5(DEMO_JSON_V4)

    def test_golden_positional_json_with_a_plan(self) -> None:
        assert _positional(encode_scenario(PLANNED)) == _as_v5(PLANNED_JSON_V4)

    def test_golden_positional_json_with_a_calibration(self) -> None:
        assert _positional(encode_scenario(CALIBRATED)) == _as_v5(CALIBRATED_JSON_V4)
        assert decode_scenario(encode_scenario(CALIBRATED)) == CALIBRATED

    def test_golden_positional_json_with_ranges(self) -> None:
        assert _positional(encode_scenario(RANGED)) == _as_v5(RANGED_JSON)

    def test_the_months_ahead_survive_a_link(self) -> None:
        grown = replace(
            DEMO,
            values=replace(DEMO.values, follower=0.8),
            channels=(
                replace(
                    DEMO.channels[0],
                    followers=1200.0,
                    follow_rate=0.002,
                    follower_churn=0.03,
                    audience_ceiling=50_000.0,
                    carryover=0.4,
                ),
            ),
            goals=(Goal(GoalTier.PRIMARY, GoalMetric.FOLLOWERS, 5000.0, by_month=12),),
            months=Months(
                horizon=24,
                launch_costs=3000.0,
                discount_rate=0.01,
                repeat_purchases=0.5,
                retention=0.7,
                schedule=(ScheduleStep(4, ad_budget=2000.0), ScheduleStep(7, staff_hours=5.0)),
            ),
        )
        text = _positional(encode_scenario(grown))
        assert text.endswith("[24,3000,0.01,0.5,0.7,[[4,2000,null],[7,null,5]]]]")
        assert '["primary","followers",5000,12]' in text
        assert decode_scenario(encode_scenario(grown)) == grown

    def test_token_is_url_safe_and_compact(self, clinic_scenario: Scenario) -> None:
        token = encode_scenario(clinic_scenario)
        assert set(token[2:]) <= set(PAYLOAD_ALPHABET)
        # three channels, four goals: about 340 characters, a fifth of the scenario file
        assert len(token) < 400

    @pytest.mark.parametrize(
        ("target", "written"),
        [
            (5000.0, "5000"),
            (0.4, "0.4"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (123456789012345.0, "123456789012345"),
            (2.5e-7, "2.5e-07"),
        ],
        ids=[
            "integral",
            "fraction",
            "shortest-repr",
            "big-integral-as-exponent",
            "15-digit-integral",
            "tiny",
        ],
    )
    def test_numbers_are_written_shortest(self, target: float, written: str) -> None:
        goal = Goal(GoalTier.SECONDARY, GoalMetric.IMPRESSIONS, target)
        scenario = replace(DEMO, goals=(goal,))
        text = _positional(encode_scenario(scenario))
        months = "[12,0,0,0,0,[]]"
        assert text.endswith(f'[["secondary","impressions",{written},null]],[],[],[],{months}]')
        assert decode_scenario(encode_scenario(scenario)) == scenario

    def test_integers_in_a_spec_come_back_equal(self) -> None:
        scenario = replace(DEMO, investment=Investment(ad_budget=1000, staff_hours=10))
        assert decode_scenario(encode_scenario(scenario)) == scenario

    def test_unicode_names_survive(self) -> None:
        scenario = replace(DEMO, name="Clínica dental — 東京 \x00 🦷")
        assert decode_scenario(encode_scenario(scenario)) == scenario

    def test_a_lone_surrogate_arrives_as_a_replacement_character(self) -> None:
        """It cannot be stored or drawn; the rest of the name arrives as sent."""
        scenario = replace(DEMO, name="Clínica \ud800 dental")
        assert decode_scenario(encode_scenario(scenario)).name == "Clínica \ufffd dental"

    def test_a_scenario_too_big_for_a_link_is_refused(self) -> None:
        # 9000 random characters do not compress below 6000 base64 characters
        rng = random.Random(0)
        name = "".join(rng.choice(PAYLOAD_ALPHABET) for _ in range(9000))
        with pytest.raises(LinkError) as caught:
            encode_scenario(replace(DEMO, name=name))
        assert caught.value.problem is LinkProblem.TOO_LONG

    def test_a_plan_too_big_for_a_link_is_refused(self) -> None:
        # the plan counts like any other text: 100 random tactics of 90 characters
        rng = random.Random(0)
        tactics = ["".join(rng.choice(PAYLOAD_ALPHABET) for _ in range(90)) for _ in range(100)]
        row = PlanRow("Ventas", "Facebook", "Leads", tuple(tactics))
        with pytest.raises(LinkError) as caught:
            encode_scenario(replace(DEMO, plan=(row,)))
        assert caught.value.problem is LinkProblem.TOO_LONG

    def test_a_scenario_that_inflates_too_far_is_refused(self) -> None:
        # compresses to almost nothing, but could not be decoded again
        with pytest.raises(LinkError) as caught:
            encode_scenario(replace(DEMO, name="a" * MAX_JSON_BYTES))
        assert caught.value.problem is LinkProblem.TOO_LONG


class TestDecodeScenario:
    def test_golden_token_of_version_1(self) -> None:
        assert decode_scenario(DEMO_TOKEN) == DEMO
        assert DEMO.plan == ()

    def test_a_version_1_token_opens_with_no_plan(self) -> None:
        assert decode_scenario(_token(_demo_document())).plan == ()

    def test_a_version_2_token_with_a_plan(self) -> None:
        assert decode_scenario(_token(_planned_document(), version="2")) == PLANNED

    def test_a_version_2_token_opens_with_no_calibration(self) -> None:
        assert decode_scenario(_token(_planned_document(), version="2")).calibration == ()

    def test_a_version_3_token_with_a_calibration(self) -> None:
        assert decode_scenario(_token(json.loads(CALIBRATED_JSON), version="3")) == CALIBRATED

    def test_a_version_3_token_opens_with_no_ranges(self) -> None:
        decoded = decode_scenario(_token(json.loads(CALIBRATED_JSON), version="3"))
        assert decoded.uncertainty == ()

    def test_ranges_survive_a_link(self) -> None:
        token = encode_scenario(RANGED)
        assert token.startswith("5.")
        assert decode_scenario(token) == RANGED
        assert decode_scenario(token).uncertainty == RANGED.uncertainty

    def test_a_version_4_token_written_by_hand_opens(self) -> None:
        assert decode_scenario(_token(json.loads(RANGED_JSON), version="4")) == RANGED

    @pytest.mark.parametrize(
        "item",
        [
            ["values.order_value", 90],
            ["values.order_value", 90, 150, 1],
            ["values.order_value", "90", 150],
            ["values.order_value", 90, None],
            ["values.order_value", True, 150],
            [1, 90, 150],
            {"input": "values.order_value", "low": 90, "high": 150},
            "values.order_value",
        ],
        ids=[
            "two-items",
            "four-items",
            "text-low",
            "null-high",
            "bool-low",
            "number-input",
            "object",
            "text",
        ],
    )
    def test_a_malformed_range_is_refused(self, item: Any) -> None:
        document = [*json.loads(CALIBRATED_JSON), [item]]
        error = _refused(_token(document, version="4"))
        assert error.problem is LinkProblem.MALFORMED
        assert error.scenario_error is None
        assert "uncertainty[0]" in error.detail

    @pytest.mark.parametrize("ranges", [None, {}, "[]"], ids=["null", "object", "text"])
    def test_ranges_that_are_no_list_are_malformed(self, ranges: Any) -> None:
        document = [*json.loads(CALIBRATED_JSON), ranges]
        assert _refused(_token(document, version="4")).problem is LinkProblem.MALFORMED

    @pytest.mark.parametrize(
        ("item", "field", "rule"),
        [
            (["values.order_value", 150, 90], "uncertainty[0].high", Rule.RANGE_ORDER),
            (["values.order_value", 130, 150], "uncertainty[0].low", Rule.RANGE_EXCLUDES_VALUE),
            (["channels[0].ctr", 0, 1.5], "uncertainty[0].high", Rule.FRACTION),
            (["channels[1].ctr", 0, 0.5], "uncertainty[0].input", Rule.ONE_OF),
            (["values.followers", 0, 1], "uncertainty[0].input", Rule.ONE_OF),
        ],
        ids=["high-below-low", "excludes-today", "rate-over-1", "no-such-channel", "no-field"],
    )
    def test_a_well_formed_invalid_range_names_the_field(
        self, item: list[Any], field: str, rule: Rule
    ) -> None:
        document = [*json.loads(CALIBRATED_JSON), [item]]
        error = _refused(_token(document, version="4"))
        assert error.problem is LinkProblem.INVALID
        assert error.scenario_error is not None
        assert (error.scenario_error.field, error.scenario_error.rule) == (field, rule)

    @pytest.mark.parametrize(
        ("item", "problem"),
        [
            (["Facebook", "cpm", 8, 12], LinkProblem.MALFORMED),
            (["Facebook", "cpm", "8", 12, ""], LinkProblem.MALFORMED),
            (["Facebook", "cpm", 8, 12, None], LinkProblem.MALFORMED),
            (["Facebook", "budget_share", 0.5, 12, ""], LinkProblem.INVALID),
            (["Facebook", "cpm", 8, 0, ""], LinkProblem.INVALID),
            (["Facebook", "cpm", 8, 1.5, ""], LinkProblem.INVALID),
            (["Facebook", "cpm", None, 3, ""], LinkProblem.INVALID),
        ],
        ids=[
            "four-items",
            "text-value",
            "null-source",
            "not-calibrated-field",
            "no-periods",
            "fractional-periods",
            "null-cpm",
        ],
    )
    def test_a_bad_calibration_is_refused(self, item: list[Any], problem: LinkProblem) -> None:
        document = [*_planned_document(), [item]]
        assert _refused(_token(document, version="3")).problem is problem

    @pytest.mark.parametrize(
        ("version", "document"),
        [
            ("1", json.loads(DEMO_JSON_V2)),
            ("2", json.loads(DEMO_JSON)),
            ("1", json.loads(PLANNED_JSON)),
            ("2", json.loads(CALIBRATED_JSON)),
            ("3", json.loads(PLANNED_JSON)),
            ("3", json.loads(RANGED_JSON)),
            ("4", json.loads(CALIBRATED_JSON)),
            ("2", json.loads(RANGED_JSON)),
        ],
        ids=[
            "v1-with-8-items",
            "v2-with-7-items",
            "v1-with-a-plan",
            "v2-with-9-items",
            "v3-with-8-items",
            "v3-with-10-items",
            "v4-with-9-items",
            "v2-with-10-items",
        ],
    )
    def test_a_layout_of_the_other_version_is_malformed(
        self, version: str, document: list[Any]
    ) -> None:
        error = _refused(_token(document, version=version))
        assert error.problem is LinkProblem.MALFORMED

    def test_example_scenario_round_trip(self, example_scenario: Scenario) -> None:
        token = encode_scenario(example_scenario)
        assert decode_scenario(token) == example_scenario

    @given(scenarios())
    def test_any_valid_scenario_survives(self, scenario: Scenario) -> None:
        assert decode_scenario(encode_scenario(scenario)) == scenario

    @given(scenarios(max_channels=3), st.data())
    def test_a_changed_character_is_refused_never_misread(
        self, scenario: Scenario, data: st.DataObject
    ) -> None:
        token = encode_scenario(scenario)
        position = data.draw(st.integers(2, len(token)), label="position")
        char = data.draw(st.sampled_from(PAYLOAD_ALPHABET + "=+/.%é "), label="char")
        edit = data.draw(st.sampled_from(["replace", "delete", "insert"]), label="edit")
        if edit == "insert":
            tampered = token[:position] + char + token[position:]
        else:
            assume(position < len(token))
            rest = token[position + 1 :]
            tampered = token[:position] + (char if edit == "replace" else "") + rest
        assume(tampered != token)
        try:
            decoded = decode_scenario(tampered)
        except LinkError as error:
            assert error.problem is LinkProblem.MALFORMED
        else:
            # only where deflate spells the same bytes two ways (see the next test)
            assert decoded == scenario

    def test_every_single_character_change_is_refused_or_harmless(self) -> None:
        # Every substitution, deletion and insertion in the payload of DEMO's token (about 18,000
        # tokens). Deflate can spell the same bytes two ways (a back-reference to an equal
        # earlier run, unused bits at the end): such a change checks out and gives DEMO itself.
        # Everything else must be refused.
        token = encode_scenario(DEMO)
        tampered = set()
        for i in range(2, len(token) + 1):
            tampered.update(token[:i] + c + token[i:] for c in PAYLOAD_ALPHABET)
            if i < len(token):
                tampered.add(token[:i] + token[i + 1 :])
                tampered.update(token[:i] + c + token[i + 1 :] for c in PAYLOAD_ALPHABET)
        tampered.discard(token)
        accepted = []
        for candidate in tampered:
            try:
                accepted.append(decode_scenario(candidate))
            except LinkError as error:
                assert error.problem is LinkProblem.MALFORMED
        assert all(decoded == DEMO for decoded in accepted)
        assert len(accepted) <= len(tampered) // 100

    @pytest.mark.parametrize(
        "token",
        [
            "",
            "1",
            "1.",
            ".eNq",
            "v1.eNq",
            "01." + DEMO_TOKEN[2:],
            "1," + DEMO_TOKEN[2:],
            " " + DEMO_TOKEN,
            DEMO_TOKEN + "\n",
            DEMO_TOKEN + "=",
            DEMO_TOKEN[:-1] + "+",
            DEMO_TOKEN.replace("-", "+"),
            DEMO_TOKEN + "A",
            DEMO_TOKEN + "AA",
            DEMO_TOKEN[:-10],
            DEMO_TOKEN.upper(),
            "1.!!!!",
            "1.eNq%20",
            "\u0661." + DEMO_TOKEN[2:],
        ],
        ids=[
            "empty",
            "no-dot",
            "no-payload",
            "no-version",
            "letter-version",
            "leading-zero",
            "comma",
            "leading-space",
            "trailing-newline",
            "base64-padding",
            "plus",
            "std-base64",
            "one-char-more",
            "two-chars-more",
            "cut-short",
            "upper-case",
            "punctuation",
            "percent",
            "arabic-digit-version",
        ],
    )
    def test_garbage_is_malformed(self, token: str) -> None:
        error = _refused(token)
        assert error.problem is LinkProblem.MALFORMED
        assert error.scenario_error is None

    def test_unused_bits_in_the_last_character_are_refused(self) -> None:
        # A payload of 4n + 2 characters carries 4n/4*3 + 1 bytes: the last character holds 2
        # bits of data and 4 unused bits, which a lenient decoder ignores.
        token = next(
            t
            for n in range(50)
            if (len(t := encode_scenario(replace(DEMO, name=f"D{n}"))) - 2) % 4 == 2
        )
        last = PAYLOAD_ALPHABET.index(token[-1])
        assert last % 16 == 0
        same_bytes = token[:-1] + PAYLOAD_ALPHABET[last + 1]
        assert base64.urlsafe_b64decode(same_bytes[2:] + "==") == base64.urlsafe_b64decode(
            token[2:] + "=="
        )
        assert _refused(same_bytes).problem is LinkProblem.MALFORMED

    @pytest.mark.parametrize("version", ["6", "10", "21", "999999999999999999"], ids=str)
    def test_another_version_is_refused_as_such(self, version: str) -> None:
        error = _refused(f"{version}.{DEMO_TOKEN[2:]}")
        assert error.problem is LinkProblem.VERSION
        assert "this version reads 1, 2, 3, 4, 5" in str(error)

    def test_too_long_is_refused_before_decoding(self) -> None:
        error = _refused("6." + "A" * MAX_TOKEN_LENGTH)  # would otherwise be VERSION
        assert error.problem is LinkProblem.TOO_LONG
        assert str(MAX_TOKEN_LENGTH) in str(error)

    @pytest.mark.parametrize("version", ["1", "2", "3", "4"])
    def test_the_longest_allowed_token_is_decoded(self, version: str) -> None:
        error = _refused(f"{version}." + "A" * (MAX_TOKEN_LENGTH - 2))
        assert error.problem is LinkProblem.MALFORMED

    def test_decompression_bomb_is_refused(self) -> None:
        token = _token(b" " * 4_000_000)  # 4 MB of spaces in about 5 kB of token
        assert len(token) <= MAX_TOKEN_LENGTH
        error = _refused(token)
        assert error.problem is LinkProblem.MALFORMED
        assert "more than" in error.detail

    def test_the_largest_allowed_json_is_read(self) -> None:
        document = _demo_document()
        document[0] = "a" * (MAX_JSON_BYTES - len(DEMO_JSON) + len('"Demo"') - 2)
        data = json.dumps(document, separators=(",", ":")).encode()
        assert len(data) == MAX_JSON_BYTES
        assert decode_scenario(_token(data)).name == document[0]
        too_big = data.replace(b'"aaa', b'"aaaa', 1)
        assert _refused(_token(too_big)).problem is LinkProblem.MALFORMED

    @pytest.mark.parametrize(
        "raw",
        [
            zlib.compress(DEMO_JSON.encode())[:-1],
            zlib.compress(DEMO_JSON.encode()) + b"\0",
            zlib.compress(DEMO_JSON.encode()) + zlib.compress(b"[]"),
            DEMO_JSON.encode(),
            zlib.compress(DEMO_JSON.encode(), wbits=-15),
            zlib.compress(DEMO_JSON.encode(), wbits=31),
        ],
        ids=[
            "cut-checksum",
            "trailing-byte",
            "second-stream",
            "not-compressed",
            "raw-deflate",
            "gzip",
        ],
    )
    def test_a_stream_that_is_not_exactly_one_zlib_stream_is_refused(self, raw: bytes) -> None:
        token = "1." + base64.urlsafe_b64encode(raw).decode().rstrip("=")
        assert _refused(token).problem is LinkProblem.MALFORMED

    @pytest.mark.parametrize(
        "data",
        [
            b"[1,2",
            b"",
            b"\xff\xfe[]",
            b"[NaN]",
            b"[Infinity]",
            b"[" * 100_000 + b"]" * 100_000,
            b"[" + b"9" * 5000 + b"]",
            DEMO_JSON.encode() + b"x",
        ],
        ids=[
            "cut",
            "empty",
            "not-utf8",
            "nan",
            "infinity",
            "deep-nesting",
            "huge-integer",
            "trailing-text",
        ],
    )
    def test_bad_json_is_malformed(self, data: bytes) -> None:
        error = _refused(_token(data))
        assert error.problem is LinkProblem.MALFORMED
        assert "JSON" in error.detail

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            ((), {"name": "Demo"}),
            ((), [1, 2]),
            ((0,), 7),
            ((1,), None),
            ((2,), [1000, 10, 25.5]),
            ((2, 0), "1000"),
            ((2, 0), True),
            ((2, 0), None),
            ((3,), {}),
            ((4, 0), True),
            ((4, 1), 2),
            ((4, 1), 0.0),
            ((5,), {}),
            ((5, 0), ["Facebook", 1, 1]),
            ((5, 0, 0), 1),
            ((5, 0, 4), "4000"),
            ((5, 0, 3), None),
            ((6,), None),
            ((6, 0), ["primary", "sales"]),
            ((6, 0, 0), 1),
            ((6, 0, 2), "50"),
            ((6, 0, 2), None),
        ],
        ids=[
            "object",
            "two-items",
            "name-number",
            "currency-null",
            "investment-3-items",
            "budget-text",
            "budget-bool",
            "budget-null",
            "values-object",
            "lens-bool",
            "lens-2",
            "lens-float",
            "channels-object",
            "channel-3-items",
            "channel-name-number",
            "saturation-text",
            "cpm-null",
            "goals-null",
            "goal-2-items",
            "goal-tier-number",
            "goal-target-text",
            "goal-target-null",
        ],
    )
    def test_the_wrong_shape_is_malformed(self, path: tuple[int, ...], value: Any) -> None:
        document: Any = _demo_document()
        if path:
            _set_at(document, path, value)
        else:
            document = value
        error = _refused(_token(document))
        assert error.problem is LinkProblem.MALFORMED
        assert error.scenario_error is None

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            ((7,), None),
            ((7,), {}),
            ((7, 0), ["Ventas", "Facebook"]),
            ((7, 0, 0), 1),
            ((7, 0, 3), "Anuncios; Formularios"),
            ((7, 0, 3, 0), 1),
            ((7, 0, 4), None),
            ((7, 0, 5), None),
            ((7, 0, 6), 7),
            ((7, 0, 6), None),
        ],
        ids=[
            "plan-null",
            "plan-object",
            "row-2-items",
            "objective-number",
            "tactics-text",
            "tactic-number",
            "metrics-null",
            "tool-null",
            "cadence-number",
            "cadence-null",
        ],
    )
    def test_the_wrong_shape_of_a_plan_is_malformed(
        self, path: tuple[int, ...], value: Any
    ) -> None:
        document = _planned_document()
        _set_at(document, path, value)
        error = _refused(_token(document, version="2"))
        assert error.problem is LinkProblem.MALFORMED
        assert error.scenario_error is None

    @pytest.mark.parametrize(
        ("path", "value", "field", "rule"),
        [
            ((7, 0, 2), " ", "plan[0].kpi", Rule.NON_EMPTY),
            ((7, 0, 0), "", "plan[0].objective", Rule.NON_EMPTY),
            ((7, 0, 3, 1), "a;b", "plan[0].tactics[1]", Rule.WRONG_TYPE),
            ((7, 0, 4, 0), "", "plan[0].metrics[0]", Rule.NON_EMPTY),
            ((7, 0, 6), "yearly", "plan[0].cadence", Rule.ONE_OF),
        ],
        ids=[
            "blank-kpi",
            "empty-objective",
            "separator-in-tactic",
            "empty-metric",
            "unknown-cadence",
        ],
    )
    def test_a_well_formed_invalid_plan_names_the_field(
        self, path: tuple[int, ...], value: Any, field: str, rule: Rule
    ) -> None:
        document = _planned_document()
        _set_at(document, path, value)
        error = _refused(_token(document, version="2"))
        assert error.problem is LinkProblem.INVALID
        assert error.scenario_error is not None
        assert (error.scenario_error.field, error.scenario_error.rule) == (field, rule)

    @pytest.mark.parametrize(
        ("path", "value", "field", "rule"),
        [
            ((2, 0), -5, "investment.ad_budget", Rule.NOT_NEGATIVE),
            ((3, 7), 1.5, "values.gross_margin", Rule.FRACTION),
            ((5, 0, 13), 2, "channels[0].fit", Rule.FRACTION),
            ((5, 0, 3), 0, "channels[0].cpm", Rule.CPM_WITH_SPEND),
            ((5, 0, 4), 0, "channels[0].saturation_spend", Rule.POSITIVE_OR_NULL),
            ((5, 0, 0), " ", "channels[0].name", Rule.NON_EMPTY),
            ((5,), [], "channels", Rule.AT_LEAST_ONE),
            ((1,), "eur", "currency", Rule.CURRENCY),
            ((6, 0, 1), "fans", "goals[0].metric", Rule.ONE_OF),
            ((6, 0, 0), "main", "goals[0].tier", Rule.ONE_OF),
            ((6, 0, 2), -1, "goals[0].target", Rule.POSITIVE),
            ((2, 1), 1e400, "investment.staff_hours", Rule.FINITE),
            ((2, 1), 10**400, "investment.staff_hours", Rule.FINITE),
        ],
        ids=[
            "negative-budget",
            "margin-over-1",
            "fit-2",
            "cpm-0-with-spend",
            "saturation-0",
            "blank-channel-name",
            "no-channels",
            "lower-case-currency",
            "unknown-metric",
            "unknown-tier",
            "negative-target",
            "float-overflow",
            "integer-overflow",
        ],
    )
    def test_a_well_formed_invalid_scenario_names_the_field(
        self, path: tuple[int, ...], value: Any, field: str, rule: Rule
    ) -> None:
        document = _demo_document()
        _set_at(document, path, value)
        text = json.dumps(document).replace("Infinity", "1e400")  # JSON's way to overflow
        error = _refused(_token(text.encode()))
        assert error.problem is LinkProblem.INVALID
        assert error.scenario_error is not None
        assert (error.scenario_error.field, error.scenario_error.rule) == (field, rule)
        assert field in str(error)

    def test_duplicate_channel_names_are_invalid(self) -> None:
        document = _demo_document()
        document[5].append(copy.deepcopy(document[5][0]))
        document[5][1][0] = "FACEBOOK"
        error = _refused(_token(document))
        assert error.problem is LinkProblem.INVALID
        assert error.scenario_error is not None
        assert error.scenario_error.rule is Rule.UNIQUE

    def test_errors_are_value_errors_with_a_message(self) -> None:
        error = _refused("1.")
        assert isinstance(error, ValueError)
        assert str(error).startswith("the link is damaged or incomplete: ")

    def test_not_a_string_is_malformed(self) -> None:
        assert _refused(b"1.abc").problem is LinkProblem.MALFORMED  # type: ignore[arg-type]


BASE_URLS = ["https://roi.example.com/", "http://localhost:8501", "https://x.io/app?lang=es#top"]


class TestScenarioLink:
    @given(scenarios(), st.sampled_from(BASE_URLS))
    def test_the_link_parsed_back_gives_the_scenario(self, scenario: Scenario, base: str) -> None:
        link = scenario_link(scenario, base)
        query = parse_qs(urlsplit(link).query, keep_blank_values=True, strict_parsing=True)
        assert decode_scenario(token_from_query(query[LINK_PARAM]) or "") == scenario

    def test_keeps_the_path_other_parameters_and_fragment(self) -> None:
        link = scenario_link(DEMO, "https://roi.example.com/app/?lang=es&q=a%20b+c&s=old#top")
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "roi.example.com", "/app/")
        assert parts.query == f"lang=es&q=a%20b+c&s={encode_scenario(DEMO)}"
        assert parts.fragment == "top"

    @pytest.mark.parametrize(
        "base",
        [
            "https://x.io/?s=1&S=2",
            "https://x.io/?%73=old",
            "https://x.io/?s",
            "https://x.io/?s=a&s=b",
        ],
        ids=["lower-case-only", "percent-encoded", "no-value", "repeated"],
    )
    def test_replaces_every_s_parameter(self, base: str) -> None:
        query = parse_qs(urlsplit(scenario_link(DEMO, base)).query)
        assert query[LINK_PARAM] == [encode_scenario(DEMO)]
        assert query.get("S", []) == (["2"] if "S=2" in base else [])

    def test_an_address_without_a_path_gets_slash(self) -> None:
        assert scenario_link(DEMO, "http://localhost:8501").startswith(
            "http://localhost:8501/?s=5."
        )

    @pytest.mark.parametrize(
        "base",
        [
            "",
            "roi.example.com",
            "/app",
            "ftp://roi.example.com/",
            "https://",
            "https:///app",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://roi example.com/",
            "https://roi.example.com/\n",
            "\thttps://roi.example.com/",
            "http://[::1",
            "https://roi.example.com:port/",
            "mailto:a@b.c",
        ],
        ids=[
            "empty",
            "no-scheme",
            "path-only",
            "ftp",
            "no-host",
            "empty-host",
            "javascript",
            "file",
            "space",
            "newline",
            "tab",
            "broken-ipv6",
            "bad-port",
            "mailto",
        ],
    )
    def test_a_bad_base_url_is_refused_clearly(self, base: str) -> None:
        with pytest.raises(ValueError, match=r"not an http:// or https:// address") as caught:
            scenario_link(DEMO, base)
        assert not isinstance(caught.value, LinkError)

    @pytest.mark.parametrize(
        "base",
        [
            "HTTPS://ROI.Example.com/x",
            "http://127.0.0.1:8501/",
            "https://[::1]:8501/",
            "https://tienda.españa.es/",
        ],
        ids=["upper-case", "ip-and-port", "ipv6", "idn"],
    )
    def test_good_base_urls_are_accepted(self, base: str) -> None:
        link = scenario_link(DEMO, base)
        assert urlsplit(link)._replace(query="") == urlsplit(base)
        assert decode_scenario(parse_qs(urlsplit(link).query)[LINK_PARAM][0]) == DEMO


class TestTokenFromQuery:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, None),
            ("", None),
            ("  ", None),
            ("1.abc", "1.abc"),
            (" 1.abc\n", "1.abc"),
            ([], None),
            (["1.abc"], "1.abc"),
            (["1.a", "1.b"], "1.b"),
            (["1.a", ""], "1.a"),
            (["", " "], None),
        ],
        ids=[
            "missing",
            "empty",
            "blank",
            "string",
            "padded",
            "empty-list",
            "one",
            "last-wins",
            "last-non-empty",
            "all-blank",
        ],
    )
    def test_streamlit_shapes(self, value: str | list[str] | None, expected: str | None) -> None:
        assert token_from_query(value) == expected


def _set_at(document: Any, path: tuple[int, ...], value: Any) -> None:
    """Replace the item at ``path`` (positions, outermost first) in a nested document."""
    parent = document
    for index in path[:-1]:
        parent = parent[index]
    parent[path[-1]] = value
