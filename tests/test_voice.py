"""Hotline calls as ASR transcripts through the real Rasa server's voice channel: ASR text cleaned
(fillers, stumbles, spoken numbers), the operator's questions as context, calls in parts and
whole, several problems → several tickets, retries filing nothing new, non-reports and
incomplete calls filing nothing, bad input refused precisely."""
from __future__ import annotations

import uuid
from typing import List

import pytest
import requests

from nlu.analysis import Analyzer
from nlu.call_report import read_report
from nlu.locate import locate
from nlu.transcript import Segment, clean_turn, read_call
from tests.test_conversation_paths import post_status


def seg(speaker: str, text: str, start: float) -> dict:
    return {"speaker": speaker, "text": text, "start": start, "end": start + 2}


def post(rasa_url: str, body) -> requests.Response:
    data = body if isinstance(body, bytes) else None
    return requests.post(f"{rasa_url}/webhooks/voice/webhook", json=None if data else body, data=data,
                         headers={"Content-Type": "application/json"}, timeout=60)


def call(rasa_url: str, segments: List[dict], final: bool = True, call_id: str = None,
         caller: str = "13812345678") -> dict:
    resp = post(rasa_url, {"call_id": call_id or f"call-{uuid.uuid4().hex[:10]}", "caller": caller,
                           "segments": segments, "final": final})
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.mark.parametrize("said, clean", [
    ("嗯那个那个我们小区的路灯啊坏了坏了好几天了", "我们小区的路灯坏了好几天了"),
    ("我我我想反映一下一百八十八号的井盖没了", "我想反映一下188号的井盖没了"),
    ("二单元七零二", "2单元702"),
    ("谢谢谢谢", "谢谢"),
    ("嗯", ""),
])
def test_asr_text_is_cleaned(said, clean):
    assert clean_turn(said) == clean


def test_the_operators_questions_give_the_callers_answers_their_meaning():
    read = read_call([Segment(speaker="agent", text="房号多少", start=12), Segment(speaker="caller", text="七零二", start=13),
                      Segment(speaker="caller", text="楼道灯坏了", start=0), Segment(speaker="agent", text="在哪个小区", start=3),
                      Segment(speaker="caller", text="海涛花园", start=4), Segment(speaker="agent", text="几栋", start=8),
                      Segment(speaker="caller", text="七", start=9)])
    assert read.report == "楼道灯坏了" and read.place == "海涛花园7栋702室"


def test_a_caller_repairing_the_building_is_read_as_meant():
    read = read_call([Segment(speaker="caller", text="楼下麻将馆每天吵到凌晨", start=0),
                      Segment(speaker="agent", text="地址是哪里", start=3),
                      Segment(speaker="caller", text="锦绣家园 六栋 不对 是七栋", start=4)])
    assert read.place == "锦绣家园7栋"


def test_a_call_in_parts_then_whole_files_once_and_a_retry_files_nothing(stack, rasa_url, app_url):
    call_id = f"call-{uuid.uuid4().hex[:10]}"
    first = [seg("agent", "您好，12345热线，请讲", 0), seg("caller", "喂你好我要反映个问题就是我们楼下那个路灯坏了好几天了晚上黑乎乎的", 3)]
    partial = call(rasa_url, first, final=False, call_id=call_id)
    assert partial["tickets"] == [] and partial["missing"] == ["location"] and "哪个小区" in partial["ask"][0]
    rest = [seg("caller", "七", 21), seg("agent", "几栋楼", 20), seg("caller", "嗯海涛花园", 16),
            seg("agent", "好的请问是在哪个小区", 14)]  # out of order, as ASR systems sometimes post
    final = call(rasa_url, first + rest, call_id=call_id)
    [ticket] = final["tickets"]
    assert final["missing"] == [] and ticket["category"].endswith("城市公共设施"), final
    stored = requests.get(f"{app_url}/open311/v2/requests/{ticket['id']}.json",
                          params={"api_key": "department-test-key"}, timeout=10).json()[0]
    assert stored["channel"] == "voice" and stored["contact"] == "13812345678" and stored["reporter"] == call_id
    assert stored["location"]["community"] == "海涛社区" and stored["location"]["building"] == "7"
    assert call(rasa_url, first + rest, call_id=call_id) == final  # a retry: the same answer, nothing filed
    assert call(rasa_url, [], call_id=call_id) == final
    # closed by the department: the caller goes on the callback list with the rating question
    assert post_status(app_url, ticket["id"], {"status": "closed", "note": "已修复"}).json()["satisfaction_asked"]
    callbacks = requests.get(f"{app_url}/api/callbacks", headers={"X-Api-Key": "department-test-key"},
                             timeout=10).json()["callbacks"]
    [callback] = [c for c in callbacks if c["caller"] == "13812345678" and "已修复" in c["say"]]
    assert "满意吗" in callback["say"] and "\n不满意" in callback["say"]


def test_segments_without_times_keep_their_order_and_a_repeat_counts_once(stack, rasa_url):
    call_id = f"call-{uuid.uuid4().hex[:10]}"
    untimed = [{"speaker": "caller", "text": "楼道灯坏了"}, {"speaker": "agent", "text": "在哪个小区"},
               {"speaker": "caller", "text": "海景花园"}, {"speaker": "agent", "text": "几栋"}]
    call(rasa_url, untimed, final=False, call_id=call_id)
    answer = call(rasa_url, untimed + [{"speaker": "caller", "text": "十一"}], call_id=call_id)
    [issue] = answer["issues"]
    assert issue["description"] == "楼道灯坏了" and issue["location"]["estate"] == "海景花园", answer
    assert issue["location"]["building"] == "11", answer


def test_several_problems_make_several_tickets(stack, rasa_url):
    answer = call(rasa_url, [seg("caller", "你好我是海涛花园的七栋电梯坏了三天了老人上下楼很困难", 0),
                             seg("caller", "还有就是沙头角口岸门口的一个井盖没了很危险", 8)])
    assert len(answer["tickets"]) == 2, answer
    assert {t["urgency"] for t in answer["tickets"]} >= {"紧急"}


def test_a_call_that_reports_nothing_files_nothing(stack, rasa_url):
    answer = call(rasa_url, [seg("caller", "你好请问你们几点下班", 0)])
    assert answer["report"] is False and answer["tickets"] == [] and answer["missing"] == []


def test_an_incomplete_call_files_nothing_and_says_what_to_ask(stack, rasa_url):
    answer = call(rasa_url, [seg("caller", "嗯我家楼上装修太吵了晚上十一点还在砸墙", 0)])
    assert answer["tickets"] == [] and answer["missing"] == ["location"] and answer["ask"]
    empty = call(rasa_url, [seg("agent", "您好，12345热线", 0), seg("caller", "嗯", 2)])
    assert empty["tickets"] == [] and empty["missing"] == ["problem"]


def test_bad_calls_are_refused_precisely(stack, rasa_url):
    assert post(rasa_url, "楼道灯坏了".encode("gbk")).json()["error"].startswith("the body is not UTF-8")
    wrong = post(rasa_url, {"call_id": "c1", "segments": [{"speaker": "robot", "text": "x"}]})
    assert wrong.status_code == 400 and "segments.0.speaker" in wrong.json()["error"]
    assert post(rasa_url, {"segments": []}).json()["error"] == "call_id: field required"
    long_call = {"call_id": "c2", "segments": [seg("caller", "嗯", n) for n in range(3001)], "final": True}
    too_long = post(rasa_url, long_call)
    assert too_long.status_code == 413 and "at most 3000" in too_long.json()["error"]


def turns(*lines: str) -> List[Segment]:
    """「C: …」 (the caller) and 「A: …」 (the operator) lines as a call's segments, a second apart."""
    return [Segment(speaker="caller" if line.startswith("C:") else "agent", text=line[2:].strip(), start=n)
            for n, line in enumerate(lines)]


def test_what_answers_a_read_back_or_asks_for_more_is_no_problem_and_a_repair_corrects():
    """Found by a hotline probe: 「对对对 就是这个」 to the operator's read-back was filed as 「…压碎了。对这个」,
    「没有了 谢谢」 to 「还有别的吗」 as 「…好几天了。没有了谢谢」, 「喂 你好」 opened the problem, and
    「不是六栋 是九栋 我说错了」 was added to the words while the ticket stayed at 6栋."""
    agreed = read_call(turns("C: 喂 你好 小区门口的井盖 被车压碎了", "A: 您是说小区门口的井盖碎了 对吧", "C: 对对对 就是这个",
                             "A: 还有别的吗", "C: 没有了 谢谢"))
    assert agreed.report == "小区门口的井盖被车压碎了"
    repaired = read_call(turns("C: 锦绣家园六栋的下水道堵了", "A: 六栋是吧", "C: 不是六栋 是九栋 我说错了"))
    assert repaired.report == "锦绣家园9栋的下水道堵了"
    answered = read_call(turns("C: 锦绣家园的下水道堵了", "A: 几栋", "C: 六", "A: 六栋是吧", "C: 不对 是九栋"))
    assert answered.place == "9栋"
    retold = read_call(turns("C: 锦绣家园三栋楼上漏水", "A: 楼上漏水是吧", "C: 不是漏水 是楼上天天往下扔垃圾"))
    assert retold.report == "锦绣家园3栋楼上天天往下扔垃圾"  # 楼上 said once (「楼上楼上天天…」 before)
    more = read_call(turns("C: 海景花园三栋电梯坏了", "A: 还有别的吗", "C: 还有 楼道灯也不亮"))
    assert more.report == "海景花园3栋电梯坏了。还有楼道灯也不亮"


def test_numbers_said_digit_by_digit_are_read_as_digits():
    """「幺栋」 was no building; a phone number said in words reached the public Open311 answer whole."""
    assert clean_turn("海景花园幺栋二单元") == "海景花园1栋2单元"
    assert clean_turn("我电话是 幺三九 一二三四 五六七八") == "我电话是13912345678"
    # an ID number's 「一零一一」 is no stumble to take out
    assert clean_turn("身份证号四四零三零八一九八零零一零一一二三四") == "身份证号440308198001011234"


def test_a_call_naming_two_problems_and_a_phone_in_words(stack, rasa_url, app_url):
    """「两个事 一个是…垃圾没人清 还有一个是小区门口有人占道摆摊」 was one ticket (the stall lost): the second
    problem read with 「还有一个是」 before it was unsure; the caller's number said in words was public."""
    answer = call(rasa_url, [seg("caller", "我姓王 电话幺三九一二三四五六七八 两个事 一个是海涛花园十二栋楼下的垃圾没人清 "
                                           "还有一个是小区门口有人占道摆摊", 0)], caller="13900002222")
    assert [t["category"].split("/")[-1] for t in answer["tickets"]] == ["环境卫生", "城管执法"], answer
    public = requests.get(f"{app_url}/open311/v2/requests/{answer['tickets'][0]['id']}.json", timeout=10).json()[0]
    assert "13912345678" not in public["description"] and "139****5678" in public["description"], public


def test_a_consultation_on_the_hotline_is_filed_without_a_place(stack, rasa_url, app_url):
    """「养老金今年什么时候调，我们退休的什么时候能到账」 had the operator told to ask for the street and building:
    a consultation is filed at the platform's area, as on the chat; a problem without a place still asks."""
    answer = call(rasa_url, [seg("caller", "你好 我想问一下 养老金今年什么时候调 我们退休的什么时候能到账", 0)])
    [ticket] = answer["tickets"]
    assert answer["missing"] == [] and ticket["category"].startswith("劳动和社会保障"), answer
    stored = requests.get(f"{app_url}/open311/v2/requests/{ticket['id']}.json", timeout=10).json()[0]
    assert stored["location"]["placement"] == "area" and "咨询类诉求" in stored["address"], stored
    assert call(rasa_url, [seg("caller", "楼上装修太吵了 晚上十一点还在砸墙", 0)])["missing"] == ["location"]


def test_a_place_or_a_bare_request_said_before_the_problem_is_no_part_of_it():
    """A second hotline probe: 「我是海景花园的 六栋」, asked what happened, then the leak, was filed with the
    place in the problem's words; 「我要反映一下」 before the problem opened its description."""
    place_first = read_call(turns("C: 我是海景花园的 六栋", "A: 什么问题", "C: 楼顶的水箱漏水 一直往楼道里流"))
    assert place_first.report == "楼顶的水箱漏水一直往楼道里流" and "海景花园" in place_first.place
    announced = read_call(turns("C: 嗯 我要反映一下", "A: 您说", "C: 东海岸花园门口那个公交站的顶棚塌了一半"))
    assert announced.report == "东海岸花园门口公交站的顶棚塌了一半"
    assert read_call(turns("C: 我要投诉")).report == ""
    # a short problem with its place is a report, not an address
    assert read_call(turns("C: 锦绣家园三栋漏水")).report == "锦绣家园3栋漏水"


def test_counted_problems_said_without_pauses_lose_their_counting_words():
    """「两个事 第一个是中英街那边的公厕门坏了 第二个是…」 filed 「是中英街…」; 「还有一个事 小区门口的垃圾桶满了」
    after 「还有别的吗」 filed 「一个事小区门口…」."""
    analyzer = Analyzer.default()
    assert analyzer.split("两个事第一个是中英街那边的公厕门坏了第二个是海景花园3栋的电梯又坏了") == [
        "中英街那边的公厕门坏了", "海景花园3栋的电梯又坏了"]
    assert analyzer.split("海景花园5栋的楼道灯坏了。还有一个事小区门口的垃圾桶满了没人清") == [
        "海景花园5栋的楼道灯坏了", "小区门口的垃圾桶满了没人清"]


def test_what_a_third_hotline_probe_found_in_callers_turns():
    """A third probe: 「不是不是 是北门」 after 「东门是吧」 left the ticket at the east gate; 「喂 是一二三四五吗」, 「快快快」
    and 「那大概多久能来修啊」 were filed as the problem's words (「快」 even as the estate's: 「快海涛花园」); 「六动」 (栋
    misheard) was no building; a phone number given when asked became the description's last sentence."""
    assert read_call(turns("C: 锦绣家园东门那个路灯不亮了", "A: 东门是吧", "C: 不是不是 是北门")).report == "锦绣家园北门路灯不亮了"
    opened = read_call(turns("C: 喂 是一二三四五吗", "A: 您好 请讲", "C: 我们家住在海景花园 七栋", "A: 什么问题",
                             "C: 楼上天天晚上 敲敲打打的"))
    assert opened.report == "楼上天天晚上敲敲打打的" and opened.place == "我们家住在海景花园7栋"
    urged = read_call(turns("C: 快快快 海涛花园三栋楼下有个人倒在地上 叫不醒"))
    assert urged.report == "海涛花园3栋楼下有个人倒在地上叫不醒"
    asked = read_call(turns("C: 小区的下水道堵了 海景花园九栋", "A: 好的 已经记下了", "C: 那大概多久能来修啊"))
    assert asked.report == "小区的下水道堵了海景花园9栋"
    assert read_call(turns("C: 海景花园六动 电梯 坏了")).report == "海景花园6栋电梯坏了"
    phoned = read_call(turns("C: 海景花园五栋的电梯又坏了", "A: 您的联系电话", "C: 一三八 零零一三 八零零零"))
    assert (phoned.report, phoned.contact) == ("海景花园5栋的电梯又坏了", "13800138000")


def test_a_policy_question_and_a_metro_exit_said_apart_on_the_hotline(stack, rasa_url, app_url):
    """「孩子上小学 要准备什么材料」 was no report at all (the intent model read it as asking how to report) and
    「沙头角站 A出口」, the letter spaced by the recogniser, was filed at the station without its exit."""
    consulted = call(rasa_url, [seg("caller", "我想问一下 孩子上小学 要准备什么材料", 0)])
    [ticket] = consulted["tickets"]
    assert consulted["report"] and ticket["category"].startswith("教育文体"), consulted
    exit_said = call(rasa_url, [seg("caller", "我在地铁八号线沙头角站 A出口这边 扶梯坏了 停了一天了", 0)])
    stored = requests.get(f"{app_url}/open311/v2/requests/{exit_said['tickets'][0]['id']}.json", timeout=10).json()[0]
    assert stored["address"].replace(" ", "") == "地铁8号线沙头角站A出口", stored


def test_a_building_asked_for_one_of_two_problems_places_that_one():
    """「两个事 一个是海涛花园门口的垃圾没人清 还有就是 小区里的路灯不亮」, 「路灯是哪一栋」, 「八栋旁边」: the rubbish went to 8栋
    and the light, placed nowhere, was not filed. A building answering a question that names one problem is that
    problem's, in the estate the call named; asked plainly (「几栋」), it is every problem's."""
    analyzer = Analyzer.default()

    def places(*lines):
        report = read_report(read_call(turns(*lines)), analyzer, "report_problem")
        return [(issue.analysis["location"].get("text"), issue.missing) for issue in report.issues]

    assert places("C: 两个事啊 一个是海涛花园门口的垃圾没人清 还有就是 小区里的路灯不亮", "A: 路灯是哪一栋", "C: 八栋旁边") == [
        ("海涛花园", []), ("海涛花园8栋", [])]
    assert places("C: 海涛花园的电梯坏了 还有楼道灯也不亮", "A: 电梯是几栋的", "C: 八栋") == [
        ("海涛花园8栋", []), ("海涛花园", [])]
    assert places("C: 海涛花园的电梯坏了 还有楼道灯也不亮", "A: 几栋", "C: 八栋") == [("海涛花园8栋", []), ("海涛花园8栋", [])]
    assert places("C: 海涛花园门口的垃圾没人清", "A: 几栋", "C: 八栋") == [("海涛花园8栋", [])]


def test_what_a_fourth_hotline_probe_found():
    """A fourth probe (12 calls): 「我想反映一下」 then 「算了算了 不说了 没事了」 had the operator told to ask for the
    problem; 「我要投诉 投诉那个 物业」 then the problem filed 「物业。物业乱收费…」; an ID number given when asked became
    the description's last sentence; 「两个地方 一个是海景花园门口…」 kept its counting words; 「深盐路 加油站对面」 was
    no place a worker could find (the whole road)."""
    analyzer = Analyzer.default()

    def issues(*lines):
        report = read_report(read_call(turns(*lines)), analyzer, "report_problem")
        return report.is_report, [(i.analysis["description"], i.analysis["location"].get("text"), i.missing)
                                  for i in report.issues]

    assert issues("C: 我想反映一下", "A: 您请说", "C: 算了算了 不说了 没事了") == (False, [])
    assert issues("C: 喂 我要投诉 投诉那个 物业", "A: 什么问题", "C: 物业乱收费 停车费一个月涨到五百", "A: 哪个小区",
                  "C: 锦绣家园") == (True, [("物业乱收费停车费一个月涨到五百", "锦绣家园", [])])
    given = read_call(turns("C: 海景花园九栋的电梯坏了", "A: 请提供一下您的身份证号", "C: 四四零三零八一九八零零一零一一二三四"))
    assert given.report == "海景花园9栋的电梯坏了（身份证号：440308198001011234）"
    assert [d for d, _, _ in issues("C: 两个地方 一个是海景花园门口 路灯不亮 还有海涛花园门口 垃圾没人清")[1]] == [
        "海景花园门口路灯不亮", "海涛花园门口垃圾没人清"]
    # the pit is across the road from the petrol station: the place says so (tests/test_probe_nine.py)
    assert issues("C: 深盐路 就是那个 加油站对面 有个大坑")[1] == [("深盐路加油站对面有个大坑", "深盐路加油站对面", [])]


def test_what_a_fifth_hotline_probe_found():
    """A fifth probe (12 calls): 「你们到底管不管 我打了五次电话了 海涛花园八栋 电梯 天天坏」 filed nothing (read as a status
    question); 「对 十五号」 to the read-back 「幸福路十五号是吧」 ended the description 「…。15号」; 「那个东西又坏了」, 「什么东西坏了」,
    「就是楼道的灯 海景花园三栋的」 was filed 「东西又坏了。楼道的灯海景花园3栋的」."""
    analyzer = Analyzer.default()
    pressed = read_report(read_call(turns("C: 你们到底管不管 我打了五次电话了 海涛花园八栋 电梯 天天坏")), analyzer, "query_status")
    assert pressed.is_report and [i.analysis["location"]["text"] for i in pressed.issues] == ["海涛花园8栋"]
    asked = read_report(read_call(turns("C: 我上周反映的那个 怎么还没人来")), analyzer, "query_status")
    assert not asked.is_report  # pressing, but no place to file at: a status question still
    assert read_call(turns("C: 幸福路十五号楼下 烧烤摊 油烟好大", "A: 幸福路十五号是吧", "C: 对 十五号")).report == \
        "幸福路15号楼下烧烤摊油烟好大"
    assert read_call(turns("C: 海景花园三栋电梯坏了", "A: 三栋是吧", "C: 对 里面还关着人")).report == \
        "海景花园3栋电梯坏了。里面还关着人"
    named = read_call(turns("C: 喂 那个东西又坏了", "A: 什么东西坏了", "C: 就是楼道的灯 海景花园三栋的"))
    assert named.report == "楼道的灯又坏了" and locate(named.place).address.text == "海景花园3栋"
