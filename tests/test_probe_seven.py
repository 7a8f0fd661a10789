"""Faults a seventh probe of 22 everyday conversations on the running agent found (2026-12-02), each mended
in general: a third numbered problem filed inside the second, 「而且」 kept on a ticket, a place typed with
spaces (「锦绣家园 12 栋 2 单元」, 「海涛路 88 号」 losing its number), a correction's opening words read as
the problem, and an employer's name said at the summary filed as a second ticket."""
from __future__ import annotations

import pytest
import requests

from nlu.analysis import Analyzer
from nlu.correction import read_correction
from nlu.locate import locate
from nlu.normalize import normalize_text
from nlu.route import vehicle_plate
from nlu.vague import says_a_name
from tests.conftest import say
from tests.test_conversation import filed_ticket


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.default()


def test_each_numbered_problem_of_a_short_message_is_one_however_unsure_the_model_is(analyzer):
    """「停车位被占」 read 0.23, and went into the rubbish ticket as 「垃圾桶没人清3.停车位被占」."""
    assert analyzer.split(normalize_text("1.小区门口路灯不亮 2.垃圾桶没人清 3.停车位被占")) == [
        "小区门口路灯不亮", "垃圾桶没人清", "停车位被占"]
    assert analyzer.split(normalize_text("两个事 一是楼道灯坏了 二是停车位被占")) == ["楼道灯坏了", "停车位被占"]
    # not a number of a list: a measure, a letter's point (letters number the points of one complaint)
    assert len(analyzer.split(normalize_text("第一次漏水是上周，第二次是昨天晚上"))) == 1
    assert len(analyzer.split(normalize_text("海景花园门口积水有1.5米深 2.5米宽的坑也看不见"))) == 1


def test_and_joining_a_further_problem_is_no_part_of_it(analyzer):
    assert analyzer.split(normalize_text("海景花园7栋电梯坏了三天了，而且楼道灯也不亮")) == [
        "海景花园7栋电梯坏了三天了", "楼道灯也不亮"]
    assert analyzer.split(normalize_text("楼上漏水，而且漏得很厉害")) == ["楼上漏水，而且漏得很厉害"]


@pytest.mark.parametrize("typed,text,house_number", [
    ("锦绣家园 12 栋 2 单元 楼道灯坏了", "锦绣家园12栋2单元", None),
    ("沙头角街道 海涛路 88 号", "沙头角街道海涛路88号", "88"),
    ("海景花园 3 号楼 502", "海景花园3号楼502", None)])
def test_a_place_typed_with_spaces_is_read_whole(typed, text, house_number):
    place = locate(normalize_text(typed)).address
    assert place.text == text and place.house_number == house_number


def test_spaces_elsewhere_are_kept():
    assert normalize_text("电话 138 1234 5678") == "电话 138 1234 5678"
    assert normalize_text("有 3 个人受伤") == "有 3 个人受伤"
    # a room number then 「楼上…」: the floor above, not a floor number (「1203楼」)
    assert normalize_text("鹏湾社区8栋2单元1203 楼上漏水") == "鹏湾社区8栋2单元1203 楼上漏水"


def test_a_correction_is_read_from_what_replaces_the_words_taken_back():
    """「确认前说一下，不是噪音，是灰尘太大」 was classified with 「确认前说一下」 and the dust went to 城市公共设施."""
    assert read_correction("确认前说一下，不是噪音，是灰尘太大").replacing() == "灰尘太大"
    assert read_correction("不是噪音是油烟，味道很大").replacing() == "油烟，味道很大"
    assert read_correction("不对，是302").replacing() == "302"


def test_a_business_named_after_a_bare_call_is_a_name():
    assert says_a_name("叫顺达物流") and says_a_name("叫鑫达建筑劳务公司") and says_a_name("公司叫鑫达五金厂")
    assert not says_a_name("叫卖声太吵") and not says_a_name("叫了好几次没人来") and not says_a_name("顺达物流")


def test_an_employers_name_said_at_the_summary_is_a_detail(stack, rasa_url, sender):
    """「叫顺达物流」 answering the summary of unpaid wages was filed as a second ticket, 物流管理 (交通运输局)."""
    say(rasa_url, sender, "我电话13912345678，老板拖了我们两个月工资不给")
    summary = "\n".join(say(rasa_url, sender, "在盐田港那边一个物流公司"))
    assert "工资" in summary and "请核对以下信息" in summary, summary
    again = "\n".join(say(rasa_url, sender, "叫顺达物流"))
    assert "您反映了2个问题" not in again and "（补充：叫顺达物流）" in again and "物流管理" not in again, again


@pytest.mark.parametrize("said,read", [("系啊", "是啊"), ("系啊！", "是啊"), ("冇错", "没错"), ("唔系", "不是"), ("啱啱停电", "刚刚停电"),
                                       ("没关系啊", "没关系啊"), ("系统坏了", "系统坏了")])
def test_a_cantonese_yes_is_read_as_one(said, read):
    """「系啊」 answering the summary was 「没能看出要修改哪一项」; 「冇错」 read 「没有错」, and that was a no (deny). 系 is 是
    only said alone: in a sentence it is 关系, 系统."""
    assert normalize_text(said) == read


@pytest.mark.parametrize("said,plate", [("车牌号是粤B12345", "粤B12345"), ("粤b·d12345", "粤BD12345"),
                                        ("电话13812345678", None), ("GB50500-2013", None), ("粤B1234", None)])
def test_a_cars_plate_is_read(said, plate):
    assert vehicle_plate(normalize_text(said)) == plate


def test_a_taxis_plate_is_the_place_of_a_complaint_about_the_ride(stack, rasa_url, sender):
    """A fare from 沙头角 to 大梅沙: asked which of the two, the resident gave the plate, and was told 「还没能确定具体
    位置」 again and again — the ride has no address; the car is what the taxi regulator needs."""
    asked = "\n".join(say(rasa_url, sender, "昨天坐出租车从沙头角到大梅沙，司机不打表要了我一百块"))
    assert "请问是哪一处" in asked, asked
    summary = "\n".join(say(rasa_url, sender, "车牌号是粤B12345"))
    assert "请核对" in summary and "地点：车牌粤B12345" in summary and "出租车管理" in summary, summary
    told = "\n".join(say(rasa_url, f"{sender}-b", "粤B54321这辆出租车拒载，还骂人"))
    assert "请核对" in told and "地点：车牌粤B54321" in told, told


def test_a_shops_name_told_after_filing_is_added_to_the_ticket(stack, rasa_url, app_url, sender):
    """「店名叫好再来快餐」 after a family's food poisoning was filed at once was answered 「抱歉，我没有完全理解」:
    naming a shop, a company or a site is an answer (inform), added to the open ticket."""
    ticket = filed_ticket(app_url, say(rasa_url, sender, "昨天在海山路一家快餐店吃了饭，一家三口都拉肚子"))
    added = "\n".join(say(rasa_url, sender, "店名叫好再来快餐"))
    assert f"已补充工单 {ticket['service_request_id']}" in added and "没有完全理解" not in added, added
    url = f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json"
    assert "好再来快餐" in requests.get(url, timeout=10).json()[0]["description"]


@pytest.mark.parametrize("said", ["盐田港附近有家物流公司拖欠工资两个月", "培训机构拖欠老师工资", "旅行社拖欠导游工资",
                                  "出租车公司克扣司机工资"])
def test_unpaid_wages_go_to_labour_whatever_the_business(analyzer, said):
    """The business's kind word outweighed the wages: 物流管理 (交通运输局), 师资力量 (教育局), 旅游市场管理,
    出租车行业监管 — unpaid wages are 劳动监察's, wherever they are owed."""
    assert analyzer.label(said)[0] == "劳动和社会保障/工资福利/工资发放"


@pytest.mark.parametrize("said,text", [("锦绣家园中心花园", "锦绣家园中心花园"), ("锦绣家园地下车库B区", "锦绣家园地下车库B区"),
                                       ("海景花园篮球场", "海景花园篮球场"), ("海景花园的停车场有人乱停车", "海景花园停车场"),
                                       ("海景花园广场舞太吵", "海景花园"), ("海景花园北门", "海景花园北门")])
def test_a_spot_inside_an_estate_stays_in_its_place(said, text):
    """Answering where, 「锦绣家园中心花园」 was filed at 「锦绣家园」: the spot a worker goes to was in neither the place
    nor the words. A dance (广场舞) is no square."""
    place = locate(normalize_text(said)).address
    assert place.text == text and place.estate == said[:4]


def test_a_phone_number_given_with_words_at_the_summary_is_the_contact(stack, rasa_url, sender):
    """「我电话是13611112222，麻烦尽快联系我」 at the summary: the number was cut from the note (「（补充：，麻烦尽快联系我）」)
    and kept nowhere — the resident asked for a call back and no department could make it."""
    say(rasa_url, sender, "我家楼上漏水渗到我家了能不能找人来看一下")
    say(rasa_url, sender, "锦绣家园7栋1502")
    summary = "\n".join(say(rasa_url, sender, "我电话是13611112222，麻烦尽快联系我"))
    assert "联系电话：136****2222" in summary and "（补充：麻烦尽快联系我）" in summary, summary
    assert "13611112222" not in summary


def test_asked_whether_the_report_is_kept_private_the_service_answers(stack, rasa_url, sender):
    answer = "\n".join(say(rasa_url, sender, "反映问题会不会泄露我的信息"))
    assert "不会公开" in answer and "没有完全理解" not in answer, answer


def test_blood_from_a_slaughtered_chicken_is_no_one_hurt(analyzer):
    """「卖活鸡，杀鸡的血流了一地」 was graded 特急 (有人受伤或不适) and the resident told to call 120."""
    urgency = analyzer.analyze("有人在小区门口卖活鸡，杀鸡的血流了一地")["issues"][0]["urgency"]
    assert urgency["level"] != "特急", urgency
    assert analyzer.analyze("小区门口有人打架，血流了一地")["issues"][0]["urgency"]["level"] == "特急"


def test_a_districts_government_is_a_place():
    """「盐田区政府对面的人行道砖松了」 was told 「还没能确定具体位置」 again and again: an office is a place, the
    district's government as a street's office; another district's is outside the area."""
    place = locate("盐田区政府对面的人行道砖松了").address
    assert place.poi == "盐田区政府" and place.district == "盐田区" and place.is_dispatchable()
    assert locate("福田区政府门口").address.district == "福田区"
