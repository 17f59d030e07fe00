"""The example corpus in policies/ validates cleanly and builds; spot checks that it is faithful to the seeds."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from conftest import REPO
from policygen import build_project, load_project


@pytest.fixture(scope="module")
def corpus():
    result = load_project(REPO)
    assert result.diagnostics.items == [], [str(d) for d in result.diagnostics.items]
    return result.project


@pytest.fixture(scope="module")
def built(corpus_output):
    return corpus_output


def text_of(path) -> str:
    markup = path.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_seed_000_regulation_is_complete(corpus):
    reg = corpus.regulations["customer-service"]
    assert len(reg.articles) == 36
    assert [c.title for c in reg.chapters] == ["总则", "服务作业程序", "客户意见调查", "客户投诉管理", "客户服务准则", "附则"]
    assert not any(a.generated for a in reg.articles)  # seed 000 writes its own closing clauses
    assert reg.effective == "2010-01-01"


def test_seed_000_forms_are_all_there(corpus):
    titles = {f.title for f in corpus.forms.values()}
    assert {"服务登记簿", "服务凭证", "异地服务申请单", "客户意见调查表", "客户投诉处理表", "销货折扣证明单", "产品退货单",
            "奖罚通知单", "人事公布单", "客服人员工作小结表", "软件Bug详细记录表", "基础数据维护记录表",
            "业务数据维护记录表"} <= titles


def test_product_return_has_four_copies_in_order(corpus):
    copies = [c.label for c in corpus.forms["product-return"].copies]
    assert len(copies) == 4
    assert [c[:3] for c in copies] == ["第一联", "第二联", "第三联", "第四联"]


def test_survey_has_a_four_by_four_rating_grid(corpus):
    rating = next(f for f in corpus.forms["customer-survey"].fields if f.type == "rating")
    labels = lambda xs: [x["label"] if isinstance(x, dict) else x for x in xs]  # noqa: E731
    assert labels(rating.attrs["criteria"])[:2] == ["态度", "技术"] and len(rating.attrs["criteria"]) == 4
    assert labels(rating.attrs["levels"]) == ["非常满意", "满意", "一般", "较差"]


def test_matrix_boundaries_are_explicit(corpus):
    rows = [r.conditions["amount"] for r in corpus.matrices["complaint-approval"].rows]
    assert rows == [{"ge": 0, "le": 1000}, {"gt": 1000, "le": 5000}, {"gt": 5000}]


def test_traditional_regulation_and_its_channel_rules(corpus):
    reg = corpus.regulations["steel-cs"]
    assert reg.language == "zh-Hant"
    targets = {r.channel: r.target_on(None) for r in corpus.rulesets["steel-cs-rules"].rules if r.channel}
    assert (targets["phone"].value, targets["phone"].unit) == (3, "rings")
    assert (targets["email"].value, targets["email"].unit) == (1, "working-days")
    assert targets["online-chat"].unit == "immediate"


def test_seed_001_kpis(corpus):
    kpis = {r.name: r.target_on(None) for r in corpus.rulesets["cs-service-targets"].rules if r.kind == "kpi"}
    values = sorted((t.comparator, int(t.value)) for t in kpis.values())
    assert values == sorted([("=", 100), (">=", 90), ("<=", 2), (">=", 98), ("<=", 2)])


def test_built_pages(built):
    reg = text_of(built / "regulations" / "customer-service.html")
    assert "第二十七条　客户投诉金额核决权限：" in reg
    assert "1,000元以下（含）" in reg and "超过1,000元至5,000元（含）" in reg and "超过5,000元" in reg
    assert "《产品退货单》" in reg and "[[" not in reg
    assert "第三十六条　本制度自2010年1月1日起实施。" in reg
    assert "附表1　客户投诉处理流程" in reg and "附表2　客户投诉处理表" in reg  # the flow, then the form filled in with it
    办法 = text_of(built / "regulations" / "cs-staff-rules.html")
    assert "每周五16:00前" in 办法 and "本办法由XXX有限公司负责解释。" in 办法
    trad = text_of(built / "regulations" / "steel-cs.html")
    assert "第一條" in trad and "3聲" in trad and "1個工作日" in trad
    assert "第九章　附則" in trad and "本制度由XXX有限公司負責解釋。" in trad  # generated: the seed has no 附則
    index_markup = (built / "index.html").read_text(encoding="utf-8")
    for reg_id in ("customer-service", "steel-cs", "cs-staff-rules"):
        for ext in ("html", "pdf", "docx"):
            assert f'href="regulations/{reg_id}.{ext}"' in index_markup and (built / "regulations" / f"{reg_id}.{ext}").is_file()
    for ext in ("html", "pdf", "fillable.pdf", "docx", "schema.json"):
        assert f'href="forms/product-return.{ext}"' in index_markup and (built / "forms" / f"product-return.{ext}").is_file()
    for ext in ("json", "dmn"):
        assert f'href="rules/complaint-approval.{ext}"' in index_markup
    index = text_of(built / "index.html")
    assert all(t in index for t in ("客户服务管理制度", "客服人员工作管理办法", "产品退货单", "客户投诉金额核决权限表"))


def test_the_index_lists_forms_by_their_form_number(built):
    index = text_of(built / "index.html")
    numbers = re.findall(r"KF-[A-Z]{2}-\d{3}", index)
    assert len(numbers) >= 10 and numbers == sorted(numbers)
