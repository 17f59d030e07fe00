"""大写金额: every expectation below was written out by hand from 《会计基础工作规范》第五十二条 (and, where the rule
leaves a choice, from the choice documented in policygen.capital), never by running the function."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policygen.capital import capital_amount

CASES = [
    # Nothing, and amounts below one 元: no 元, no leading 零.
    (0, "零元整"),
    ("0.00", "零元整"),
    ("0.05", "伍分"),  # only 分: no 零 before it, nothing is missing in front
    ("0.5", "伍角整"),  # ends at 角: 整 (policygen always writes it after 角)
    ("0.55", "伍角伍分"),  # has 分: no 整
    # Whole 元: 整 after 元; 拾 keeps its digit even at the start.
    (10, "壹拾元整"),
    (11, "壹拾壹元整"),
    (50000, "伍万元整"),
    (100000, "壹拾万元整"),  # the zeros before 万 are carried by 万: no 零
    (120000, "壹拾贰万元整"),
    # One 零 for a run of zeros inside the integer part.
    (1005, "壹仟零伍元整"),
    (30004, "叁万零肆元整"),  # three zeros between 叁 and 肆, one 零 (the 万 unit is written after 叁)
    (100001, "壹拾万零壹元整"),  # four zeros after 万: one 零
    (100700, "壹拾万零柒佰元整"),  # the 0 in the 仟 place, after 万, is a gap: 零
    (107000, "壹拾万柒仟元整"),  # the 0 just before 万 is carried by 万; 柒仟 follows without a gap
    (1010101, "壹佰零壹万零壹佰零壹元整"),  # every single gap gets its own 零
    (110000000, "壹亿壹仟万元整"),
    (100000000, "壹亿元整"),  # the empty 万 group prints nothing, not even 零, at the end
    (100010000, "壹亿零壹万元整"),  # the zeros between 亿 and 壹万 are one 零
    (1000000010, "壹拾亿零壹拾元整"),  # an all-zero 万 group inside the number is one 零
    (1002003004, "壹拾亿零贰佰万叁仟零肆元整"),
    # 角 and 分.
    ("10.1", "壹拾元壹角整"),
    ("1.01", "壹元零壹分"),  # 角 is zero and 分 is not: 零 stands for the 角
    ("1005.05", "壹仟零伍元零伍分"),
    ("2000.08", "贰仟元零捌分"),  # 元 place zero and 角 zero: the one 零 before 分 (required)
    ("10010.5", "壹万零壹拾元伍角整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),  # 元 place zero, 角 not: the rule allows no 零; policygen writes none
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    ("6007.14", "陆仟零柒元壹角肆分"),  # the PBOC's own example
    ("325.04", "叁佰贰拾伍元零肆分"),  # the PBOC's own example
    ("1409.50", "壹仟肆佰零玖元伍角整"),  # the PBOC writes 伍角 here, which its rules allow; policygen adds 整
    ("20000000.20", "贰仟万元贰角整"),
    ("1000000000.01", "壹拾亿元零壹分"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),  # the largest amount
    # Signs and the forms an amount comes in.
    ("-1005.05", "负壹仟零伍元零伍分"),
    (-10, "负壹拾元整"),
    ("-0.00", "零元整"),  # no 负 for nothing
    ("1.230", "壹元贰角叁分"),  # a trailing zero past 分 is still a whole number of 分
    (" 7.00 ", "柒元整"),
    (Decimal("3E+4"), "叁万元整"),
    (Decimal("0.10"), "壹角整"),
]


@pytest.mark.parametrize("amount, expected", CASES, ids=[repr(a) for a, _ in CASES])
def test_capital_amount(amount, expected):
    assert capital_amount(amount) == expected


def test_there_are_enough_hand_worked_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize("amount", ["1.001", "1005.055", "0.001", Decimal("0.125"),
                                    "1000000000000", 10**12, "-1000000000000.00", "999999999999.999",
                                    "", "abc", "1,000", "1e3", "12.", ".5", "NaN", Decimal("NaN"),
                                    Decimal("Infinity"), "¥12"])
def test_amounts_that_cannot_be_written(amount):
    with pytest.raises(ValueError):
        capital_amount(amount)


@pytest.mark.parametrize("amount", [1.5, True, None, [1]])
def test_only_exact_amounts(amount):
    with pytest.raises(TypeError):
        capital_amount(amount)


def test_other_currencies_are_refused():
    assert capital_amount("12", currency="CNY") == "壹拾贰元整"
    with pytest.raises(ValueError, match="CNY"):
        capital_amount("12", currency="USD")
