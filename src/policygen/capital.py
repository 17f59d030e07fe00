"""Amounts in capital numerals (大写金额), written the way Chinese bookkeeping writes them.

The rules are those of 财政部《会计基础工作规范》第五十二条:

- the digits 零壹贰叁肆伍陆柒捌玖 and the units 拾佰仟万亿, then 元, 角, 分;
- an amount that ends at 元 or at 角 is closed with 整: "壹拾元整", "伍角整". An amount with 分 takes no 整
  ("叁角贰分"). The rule says 整 *should* follow 角 (the PBOC rules for cheques allow leaving it out); policygen
  always writes it, so "10010.5" is "壹万零壹拾元伍角整";
- zeros inside the integer part are written as one 零 however many there are ("1005" → 壹仟零伍元整,
  "100700" → 壹拾万零柒佰元整); zeros that stand just before a 万 or 亿 unit are carried by that unit and need no
  零 ("107000" → 壹拾万柒仟元整, "100000" → 壹拾万元整); a whole group of zeros between two digits is one 零
  ("100010000" → 壹亿零壹万元整);
- when 元 is zero but 角 is not, the rule allows 零 after 元 or not: policygen leaves it out ("1680.32" →
  壹仟陆佰捌拾元叁角贰分);
- when 角 is zero and 分 is not, 零 stands for the missing 角: "1005.05" → 壹仟零伍元零伍分, "2000.08" →
  贰仟元零捌分;
- an amount below one 元 starts with its first digit ("0.05" → 伍分); nothing at all is "零元整";
- 拾 is always preceded by its digit, also at the start ("10" → 壹拾元整), so nothing can be written before it.

The currency name (人民币) is not part of the result: the form prints it before the box, as rule (三) asks.
Negative amounts (a refund, a reversal) start with 负. Amounts above 9999亿…, with fractions of a 分, or that are
not numbers are a ValueError; floats are a TypeError (a binary float is not an exact amount: pass a string).
"""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")  # within a group of four digits
_GROUP_UNITS = ("", "万", "亿")  # groups of four digits, from the right
LIMIT = Decimal(10) ** 12  # 壹万亿: the largest amount written is 玖仟玖佰玖拾玖亿…玖元玖角玖分
_CENT = Decimal("0.01")
_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")

CURRENCIES = ("CNY",)  # 元角分 are the units of the renminbi


def capital_amount(amount: Decimal | str | int, currency: str = "CNY") -> str:
    """The amount in capital numerals: capital_amount("1005.05") == "壹仟零伍元零伍分"."""
    if currency not in CURRENCIES:
        raise ValueError(f"capital amounts are written in 元角分 (CNY) only, not {currency}")
    value = _decimal(amount)
    if value != value.quantize(_CENT):
        raise ValueError(f"{amount!r} has fractions of a 分 (more than two decimals)")
    if abs(value) >= LIMIT:
        raise ValueError(f"{amount!r} is above 9999亿 and cannot be written in capital numerals")
    cents = int(abs(value) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    text = ""
    if yuan:
        text = _integer(yuan) + "元"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"  # the missing 角 between 元 and 分
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return ("负" if value < 0 else "") + text


def _decimal(amount) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, str, int)):
        raise TypeError(f"an amount is a Decimal, a decimal string or an int, not {type(amount).__name__}")
    if isinstance(amount, str):
        text = amount.strip()
        if not _DECIMAL_TEXT.fullmatch(text):
            raise ValueError(f"{amount!r} is not a decimal amount such as 1005.05")
        return Decimal(text)
    if isinstance(amount, int):
        return Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"{amount!r} is not an amount")
    return amount


def _integer(number: int) -> str:
    """A positive whole number below 10^12 with 拾佰仟万亿 and one 零 for each gap."""
    digits = str(number)
    text = ""
    gap = False  # a zero was passed since the last digit written
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index  # 0 for 个, 4 for 万, 8 for 亿
        digit = int(char)
        if digit:
            if gap:
                text += "零"
            text += DIGITS[digit] + _SMALL_UNITS[position % 4]
            gap = False
        else:
            gap = True
        if position % 4 == 0 and position:
            group = digits[max(0, index - 3): index + 1]
            if int(group):
                text += _GROUP_UNITS[position // 4]
                gap = False  # zeros before 万/亿 are carried by the unit
    return text
