"""Turns a resident takes that are neither a plain answer nor a new report (a sixth scripted probe
through the real stack: REST channel, Redis, Rasa, the action server; tickets read back through
Open311): dropping the problem for another, a detail going on after an emergency filing, two things
corrected at once, a correction while asked where, an announced further problem after filing, emoji
and a report not understood that named the place."""
from __future__ import annotations

import requests

from tests.conftest import say
from tests.test_conversation import filed_ticket


def joined(replies):
    return "\n".join(replies)


def test_a_problem_dropped_for_another_while_asked_where_is_replaced(stack, rasa_url, app_url, sender):
    """「楼道灯坏了」, asked where, 「算了，说另一个事，小区门口垃圾没人清」: one ticket read
    「楼道灯坏了，算了，说另一个事，…」 under the light's category."""
    say(rasa_url, sender, "楼道灯坏了")
    switched = joined(say(rasa_url, sender, "算了，说另一个事，小区门口垃圾没人清"))
    assert "「楼道灯坏了」先不登记" in switched and "请问问题发生在哪里" in switched, switched
    summary = joined(say(rasa_url, sender, "锦绣家园"))
    assert "问题：小区门口垃圾没人清（" in summary and "楼道灯" not in summary and "环境卫生" in summary, summary
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["description"] == "小区门口垃圾没人清" and ticket["service_name"] == "环境卫生"


def test_a_problem_dropped_before_the_next_is_told_asks_for_it(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "楼道灯坏了")
    dropped = joined(say(rasa_url, sender, "算了，说另一个事"))
    assert "先不登记" in dropped and "具体说说遇到了什么问题" in dropped and "位置" not in dropped, dropped
    asked = joined(say(rasa_url, sender, "小区门口垃圾没人清"))
    assert "请问问题发生在哪里" in asked and "已记下" not in asked, asked
    summary = joined(say(rasa_url, sender, "锦绣家园"))
    assert "问题：小区门口垃圾没人清（" in summary and "楼道灯" not in summary, summary


def test_a_problem_dropped_at_the_summary_is_replaced_at_its_own_place(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "锦绣家园3栋楼道灯坏了")
    summary = joined(say(rasa_url, sender, "算了这个不说了，锦绣家园门口的垃圾好几天没人清"))
    assert "先不登记" in summary and "您反映了2个问题" not in summary, summary
    assert "问题：锦绣家园门口的垃圾好几天没人清（" in summary and "地点：锦绣家园（" in summary, summary


def test_a_detail_going_on_after_an_emergency_filing_is_added_to_it(stack, rasa_url, app_url, sender):
    """「不过旁边已经有人放了锥桶围起来了」 after a 特急 filing was asked 「这个问题也在…吗？」 as a new report."""
    ticket = filed_ticket(app_url, say(rasa_url, sender, "海景花园3栋门口井盖没了，刚才有个小孩差点掉进去"))
    assert ticket["urgency"] == "特急"
    added = joined(say(rasa_url, sender, "不过旁边已经有人放了锥桶围起来了"))
    assert f"已补充工单 {ticket['service_request_id']}" in added and "也在" not in added, added
    url = f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json"
    assert "锥桶" in requests.get(url, timeout=10).json()[0]["description"]


def test_two_things_corrected_at_once_are_both_corrected_in_the_words(stack, rasa_url, app_url, sender):
    """「不是3栋是5栋，也不是电梯是楼道灯」: the place and the type changed, the description still said 电梯."""
    say(rasa_url, sender, "锦绣家园3栋电梯坏了")
    summary = joined(say(rasa_url, sender, "不是3栋是5栋，也不是电梯是楼道灯"))
    assert "问题：锦绣家园5栋楼道灯坏了（更正：" in summary and "物业服务" in summary, summary


def test_a_type_corrected_while_asked_where_is_said_and_where_asked_plainly(stack, rasa_url, app_url, sender):
    """「不是油烟，是噪音」 answering where got 「抱歉，我还没能确定具体位置」 and the type stayed."""
    say(rasa_url, sender, "楼下饭店油烟好大")
    changed = joined(say(rasa_url, sender, "不是油烟，是噪音"))
    assert "问题类型改为" in changed and "噪音污染" in changed and "请问问题发生在哪里" in changed, changed
    asked = joined(say(rasa_url, sender, "锦绣家园5栋"))  # noise: since when is asked
    assert "从什么时候开始" in asked, asked
    summary = joined(say(rasa_url, sender, "每天晚上"))
    assert "噪音污染" in summary and "问题：楼下饭店噪音好大（更正：不是油烟，是噪音）" in summary, summary


def test_an_announced_problem_after_filing_is_one_ticket_in_the_filed_estate(stack, rasa_url, app_url, sender):
    """「对了还有个事，2栋的电梯也坏了」 was two problems — 「对了还有个事」 (安全隐患) and the elevator — both at
    「2栋」, no estate."""
    filed_ticket(app_url, say(rasa_url, sender, "海景花园2栋门口的垃圾桶满了没人清") + say(rasa_url, sender, "确认"))
    summary = joined(say(rasa_url, sender, "对了还有个事，2栋的电梯也坏了"))
    assert "您反映了2个问题" not in summary and "还有个事" not in summary, summary
    assert "问题：2栋的电梯也坏了（" in summary and "地点：海景花园2栋（" in summary, summary


def test_emoji_are_left_out_of_the_ticket_and_an_earlier_place_is_kept(stack, rasa_url, app_url, sender):
    """「😡😡楼下KTV…」 was filed with the emoji; 「the street light at 海景花园 is broken」, not understood,
    then 「路灯坏了」 got 「抱歉，我还没能确定具体位置」 — the place said was in the slot."""
    say(rasa_url, sender, "😡😡楼下KTV天天半夜唱歌，吵死了")
    say(rasa_url, sender, "锦绣家园5栋")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["description"] == "楼下KTV天天半夜唱歌，吵死了"
    other = f"{sender}-en"
    say(rasa_url, other, "the street light at 海景花园 is broken")
    summary = joined(say(rasa_url, other, "路灯坏了"))
    assert "地点：海景花园（" in summary and "问题：路灯坏了（" in summary, summary


def test_more_about_the_problem_while_asked_where_asks_where_plainly_again(stack, rasa_url, app_url, sender):
    """「漏到我家卫生间了」 answering where was kept and answered 「抱歉，我还没能确定具体位置」: no place was tried."""
    say(rasa_url, sender, "我家楼上漏水")
    asked = joined(say(rasa_url, sender, "漏到我家卫生间了"))
    assert "已记下" in asked and "请问问题发生在哪里" in asked and "没能确定" not in asked, asked
    summary = joined(say(rasa_url, sender, "锦绣家园3栋502"))
    assert "问题：我家楼上漏水，漏到我家卫生间了（" in summary, summary


def test_how_the_problem_goes_on_after_filing_is_added_and_lowers_no_grade(stack, rasa_url, app_url, sender):
    """「现在水越来越大了，已经漫到楼道了」 after a leak was filed was asked 「这个问题也在…吗？」 as a new
    report. A detail added to a ticket graded 紧急 by its category's least grade was regraded without
    it, to 一般; 「补充一下，」 was kept in the note."""
    say(rasa_url, sender, "锦绣家园5栋楼上漏水")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    added = joined(say(rasa_url, sender, "现在水越来越大了，已经漫到楼道了"))
    assert f"已补充工单 {ticket['service_request_id']}" in added and "也在" not in added, added
    other = f"{sender}-power"
    say(rasa_url, other, "海景花园3栋小区的变压器声音有点大")
    power = filed_ticket(app_url, say(rasa_url, other, "确认"))
    assert (power["service_name"], power["urgency"]) == ("电力供应", "紧急")
    say(rasa_url, other, "补充一下，是从昨天开始的")
    url = f"{app_url}/open311/v2/requests/{power['service_request_id']}.json"
    now = requests.get(url, timeout=10).json()[0]
    assert now["urgency"] == "紧急" and now["description"].endswith("（补充：是从昨天开始的）"), now


def test_an_id_number_is_masked_in_replies_and_kept_for_the_department(stack, rasa_url, app_url, sender):
    """「我的身份证号是4403…」 was shown back whole in the summary and the filing."""
    from tests.conftest import FULL_KEY

    say(rasa_url, sender, "我的身份证号是440301199001011234，公司三个月没给我交社保")
    summary = joined(say(rasa_url, sender, "海景花园3栋"))
    summary = summary if "请核对" in summary else joined(say(rasa_url, sender, "确认"))
    assert "440301********1234" in summary and "440301199001011234" not in summary, summary
    filed = say(rasa_url, sender, "确认")
    assert "440301199001011234" not in joined(filed), filed
    ticket = filed_ticket(app_url, filed)
    url = f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json"
    full = requests.get(url, headers=FULL_KEY, timeout=10).json()[0]
    assert "440301199001011234" in full["description"]


def test_the_second_problem_corrected_keeps_its_words_and_changes_its_type(stack, rasa_url, app_url, sender):
    """「第二个不是垃圾，是有人乱摆摊」 reworded the rubbish as 「小区门口第二个没人清」: only a name replaces a name."""
    say(rasa_url, sender, "锦绣家园3栋楼道灯坏了，还有小区门口垃圾没人清")
    summary = joined(say(rasa_url, sender, "第二个不是垃圾，是有人乱摆摊"))
    assert "2. 问题：小区门口垃圾没人清（更正：第二个不是垃圾，是有人乱摆摊）" in summary and "城管执法" in summary, summary


def test_a_score_is_a_rating_and_a_thank_you_for_a_fix_is_no_report(stack, rasa_url, app_url, sender):
    """「5分」 to the satisfaction question was asked again for 满意/基本满意/不满意; 「谢谢你们，上次的路灯修好了」
    was asked where the light was."""
    from tests.test_conversation_paths import post_status

    say(rasa_url, sender, "东海岸小区3栋门口路面坑洼")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert post_status(app_url, ticket["service_request_id"], {"status": "closed"}).json()["satisfaction_asked"]
    rated = joined(say(rasa_url, sender, "5分"))
    assert "感谢您的评价" in rated and "请回复" not in rated, rated
    other = f"{sender}-thanks"
    thanked = joined(say(rasa_url, other, "谢谢你们，上次的路灯修好了"))
    assert "在哪里" not in thanked and "感谢您的联系" in thanked, thanked


def test_traditional_characters_reach_the_department_simplified(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "海景花園3棟電梯壞了好幾天")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "確認"))
    assert ticket["description"] == "海景花园3栋电梯坏了好几天"


def test_news_given_with_a_withdrawal_is_added_to_the_filed_ticket(stack, rasa_url, app_url, sender):
    """「刚才那个不用处理了，灯已经好了」 was told 「也可以直接告诉我现在的情况」 as if nothing had been said."""
    say(rasa_url, sender, "锦绣家园3栋楼道灯坏了")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    told = joined(say(rasa_url, sender, "刚才那个不用处理了，灯已经好了"))
    assert "已把您说的情况补充到工单" in told and "不能在这里撤销" in told, told
    url = f"{app_url}/open311/v2/requests/{ticket['service_request_id']}.json"
    assert requests.get(url, timeout=10).json()[0]["description"].endswith("（补充：刚才那个不用处理了，灯已经好了）")
    plain = joined(say(rasa_url, f"{sender}-b", "锦绣家园5栋楼道灯坏了") + say(rasa_url, f"{sender}-b", "确认"))
    assert "工单号" in plain
    assert "也可以直接告诉我现在的情况" in joined(say(rasa_url, f"{sender}-b", "取消"))


def test_two_problems_dropped_at_the_summary_for_another_leave_only_it(stack, rasa_url, app_url, sender):
    """With two problems shown, 「算了，说另一个事，5栋电梯坏了」 moved both to 5栋 and kept the words as a note."""
    say(rasa_url, sender, "锦绣家园3栋楼道灯坏了，还有小区门口垃圾没人清")
    summary = joined(say(rasa_url, sender, "算了，说另一个事，5栋电梯坏了"))
    assert "先不登记" in summary and "您反映了2个问题" not in summary and "补充：算了" not in summary, summary
    assert "问题：5栋电梯坏了（" in summary and "地点：锦绣家园5栋（" in summary, summary


def test_a_grade_asked_lower_after_filing_is_answered_with_why_it_stays(stack, rasa_url, app_url, sender):
    say(rasa_url, sender, "锦绣家园5栋楼上漏水")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["urgency"] == "紧急"
    told = joined(say(rasa_url, sender, "这个其实不急，慢慢来"))
    assert "仍按紧急登记" in told, told


def test_a_complaint_about_the_hotline_itself_goes_to_its_duty_officer(stack, rasa_url, app_url, sender):
    """「我要投诉12345的工作人员，上次电话里态度很差」 was asked where the problem was."""
    from tests.test_conversation_paths import handoffs

    told = joined(say(rasa_url, sender, "我要投诉12345的工作人员，上次电话里态度很差"))
    assert "值班坐席" in told and "人工坐席" in told and "在哪里" not in told, told
    assert any(h["reason"] == "about_service" and "12345的工作人员" in h["transcript"][0]["text"]
               for h in handoffs(app_url))


def test_pressing_on_a_problem_named_with_its_place_is_reported_again(stack, rasa_url, app_url, sender):
    """「我已经打过三次电话了，海景花园3栋门口的路灯还是没人修」 from a resident with no ticket on this channel
    (the calls went to the hotline) was asked to tell the problem and place again, though they just had.
    Without a place it stays a status question, apologised to."""
    summary = joined(say(rasa_url, sender, "我已经打过三次电话了，海景花园3栋门口的路灯还是没人修"))
    assert "请核对" in summary and "地点：海景花园3栋（" in summary and "没有找到" not in summary, summary
    asked = joined(say(rasa_url, f"{sender}-b", "我反映了好几次了，怎么还是没人管"))
    assert "非常抱歉让您久等了" in asked and "请核对" not in asked, asked


def test_more_of_the_place_said_when_asked_what_happened_is_no_problem(stack, rasa_url, app_url, sender):
    """「锦绣家园」, asked what the problem is, 「5栋2单元」: filed as the problem 「5栋2单元」 (安全隐患), and
    「电梯坏了」 then became a second problem."""
    say(rasa_url, sender, "锦绣家园")
    asked = joined(say(rasa_url, sender, "5栋2单元"))
    assert "什么问题" in asked and "请核对" not in asked, asked
    summary = joined(say(rasa_url, sender, "电梯坏了"))
    assert "您反映了2个问题" not in summary and "问题：电梯坏了（" in summary and "地点：锦绣家园5栋2单元（" in summary, summary


def test_a_building_said_in_words_does_not_change_the_problem_read(stack, rasa_url, app_url, sender):
    """「锦绣家园十二栋一单元一零二楼上漏水」 went to 冬季采暖: the model read 「十二栋一单元一零二」 as words."""
    summary = joined(say(rasa_url, sender, "锦绣家园十二栋一单元一零二楼上漏水"))
    assert "冬季采暖" not in summary and "地点：锦绣家园12栋1单元102（" in summary, summary


def test_cantonese_is_understood_and_kept_as_said(stack, rasa_url, app_url, sender):
    """「我哋屋企停咗水成日喇，海景花园3栋」 went to 小区管理 at 一般: 停咗水 was no 停水 to the rules."""
    say(rasa_url, sender, "我哋屋企停咗水成日喇，海景花园3栋")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert (ticket["service_name"], ticket["urgency"]) == ("自来水供应", "紧急"), ticket
    assert ticket["description"] == "我哋屋企停咗水成日喇，海景花园3栋"  # the resident's words


def test_urging_a_filed_ticket_is_recorded_on_it(stack, rasa_url, app_url, sender):
    """「催一下」 after the status was answered 「抱歉，我没有完全理解」."""
    say(rasa_url, sender, "锦绣家园2栋楼道灯坏了")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    urged = joined(say(rasa_url, sender, "催一下"))
    assert f"已为您催办工单 {ticket['service_request_id']}" in urged and "没有完全理解" not in urged, urged
    history = requests.get(f"{app_url}/api/tickets/{ticket['service_request_id']}/history", timeout=10).json()
    events = history.get("events", history) if isinstance(history, dict) else history
    assert [(e["actor"], e["kind"], e["note"]) for e in events if e["kind"] == "urged"] == [("resident", "urged", "催一下")]


def test_pressing_on_ones_own_open_ticket_urges_it_instead_of_filing_again(stack, rasa_url, app_url, sender):
    """「我已经打过三次电话了，锦绣家园11栋门口的路灯还是没人修」 from the resident whose ticket about that light
    is open was filed as a second ticket linked to their own (「您的反映已合并」, reporters counted twice) — or,
    when theirs was linked to a neighbour's, to the neighbour's. A neighbour telling it still counts."""
    say(rasa_url, sender, "锦绣家园11栋门口的路灯坏了")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    carrier = ticket["duplicate_of"] or ticket["service_request_id"]

    def reporters() -> int:
        return requests.get(f"{app_url}/open311/v2/requests/{carrier}.json", timeout=10).json()[0]["reporters_count"]

    counted = reporters()
    words = "我已经打过三次电话了，锦绣家园11栋门口的路灯还是没人修"
    say(rasa_url, sender, words)
    told = joined(say(rasa_url, sender, "确认"))
    assert f"工单 {ticket['service_request_id']} 正在办理" in told and "催办" in told and "已为您登记" not in told, told
    assert reporters() == counted
    history = requests.get(f"{app_url}/api/tickets/{ticket['service_request_id']}/history", timeout=10).json()
    events = history.get("events", history) if isinstance(history, dict) else history
    assert [(e["kind"], e["note"]) for e in events if e["kind"] == "urged"] == [("urged", words)]
    say(rasa_url, f"{sender}-neighbour", "锦绣家园11栋门口的路灯坏了，好几天了")
    assert "已为您登记" in joined(say(rasa_url, f"{sender}-neighbour", "确认"))
    assert reporters() == counted + 1


def test_a_consultation_read_as_a_status_question_is_a_consultation(stack, rasa_url, app_url, sender):
    """「我想问一下养老金什么时候能到账」 was answered 「没有找到您在本渠道登记的工单」: read as asking after the
    resident's tickets. Asking after one's own report (「我反映的事什么时候能处理」) still is a status question."""
    asked = joined(say(rasa_url, sender, "我想问一下养老金什么时候能到账"))
    assert "没有找到您在本渠道登记的工单" not in asked and "请问问题发生在哪里" not in asked, asked
    assert "退休" in asked or "养老" in asked, asked
    status = joined(say(rasa_url, f"{sender}-b", "我反映的事什么时候能处理"))
    assert "没有找到您在本渠道登记的工单" in status, status


def test_a_phone_number_typed_in_words_is_the_contact(stack, rasa_url, app_url, sender):
    """「我电话是一三九一二三四五六七八，…」 was shown back and filed with the number whole in the problem."""
    summary = joined(say(rasa_url, sender, "我电话是一三九一二三四五六七八，海景花园5栋电梯坏了"))
    assert "13912345678" not in summary and "一三九一二三四五六七八" not in summary, summary
    assert "139****5678" in summary, summary


def test_asked_how_soon_at_the_summary_the_deadlines_of_the_report_are_told(stack, rasa_url, app_url, sender):
    """「你们多久能处理？」 at the summary was told only that the report was not filed yet: the answer is its grade's
    deadlines, as the summary shows them, and the report still waits for 「确认」."""
    summary = joined(say(rasa_url, sender, "海景花园3栋下水道堵了，污水冒到路上"))
    assert "请核对" in summary, summary
    asked = joined(say(rasa_url, sender, "你们多久能处理？"))
    assert "还没有提交" in asked and "前响应" in asked and "前办结" in asked and "确认" in asked, asked
    assert asked.split("会在")[1][:12] in summary, (asked, summary)  # the summary's own deadlines
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["address"].startswith("海景花园3栋")


def test_the_gate_corrected_at_the_summary_is_the_gate_filed(stack, rasa_url, app_url, sender):
    """「海景花园东门的路灯坏了」, then 「不是东门，是西门」: the agent saw nothing to change and the ticket went to the
    east gate. The gate is a part of the place (its entrance) a correction replaces, as a building."""
    summary = joined(say(rasa_url, sender, "海景花园东门的路灯坏了"))
    assert "地点：海景花园东门" in summary, summary
    corrected = joined(say(rasa_url, sender, "不是东门，是西门"))
    assert "地点：海景花园西门" in corrected and "东门" not in corrected.split("地点：")[1].split("\n")[0], corrected
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["address"] == "海景花园西门"


def test_saying_what_one_cannot_tell_of_the_place_adds_nothing_to_the_problem(stack, rasa_url, app_url, sender):
    """Asked where, 「我也不知道地址，就在沙头角菜市场后面」: the ticket read 「…没人清，我也不知道地址，就在后面」 and the
    resident was told 「这些情况已记下」 — what they cannot tell of the place, and where it is, are no more about the
    problem."""
    say(rasa_url, sender, "菜市场后面有个垃圾堆好几天没人清")
    summary = joined(say(rasa_url, sender, "我也不知道地址，就在沙头角菜市场后面"))
    assert "已记下" not in summary and "地点：沙头角菜市场" in summary, summary
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    assert ticket["description"] == "菜市场后面有个垃圾堆好几天没人清"


def test_a_problem_about_the_estate_added_at_the_summary_is_at_the_estate(stack, rasa_url, app_url, sender):
    """A chat probe: 「还有一个问题，小区门口的路灯也不亮」 added to 「海景花园3栋电梯坏了」 at the summary was filed at
    海景花园3栋 — the estate's gate is not the building's."""
    say(rasa_url, sender, "海景花园3栋电梯坏了")
    summary = joined(say(rasa_url, sender, "还有一个问题，小区北门的路灯也不亮"))
    assert "2个问题" in summary, summary
    second = summary.split("2. ")[1]
    assert "地点：海景花园北门（" in second, summary


def test_saying_it_is_urgent_after_an_emergency_filing_is_told_the_grade(stack, rasa_url, app_url, sender):
    """A chat probe: 「这个很急」 after a 特急 filing was answered 「工单上已经是您说的内容，不需要修改。」."""
    filed = joined(say(rasa_url, sender, "海景花园3栋楼道里有股焦味"))
    ticket_id = filed.split("工单号：")[1][:14]
    told = joined(say(rasa_url, sender, "这个很急"))
    assert f"工单 {ticket_id} 已按特急登记，正在即接即办" in told, told


def test_a_building_corrected_after_filing_is_corrected_in_the_words_too(stack, rasa_url, app_url, sender):
    """A chat probe: 「改一下，是8栋不是3栋」 after filing moved the ticket to 8栋 while its words still said 3栋 — the
    department would read two places."""
    filed = filed_ticket(app_url, say(rasa_url, sender, "海景花园3栋的楼道灯坏了") + say(rasa_url, sender, "确认"))
    told = joined(say(rasa_url, sender, "改一下，是8栋不是3栋"))
    assert "问题：海景花园8栋的楼道灯坏了" in told and "地点：海景花园8栋" in told, told
    ticket = requests.get(f"{app_url}/open311/v2/requests/{filed['service_request_id']}.json", timeout=10).json()[0]
    assert ticket["description"].startswith("海景花园8栋的楼道灯坏了") and ticket["address"] == "海景花园8栋", ticket


def test_something_broken_left_unnamed_is_asked_what_before_where(stack, rasa_url, app_url, sender):
    """A console probe: 「那个东西又坏了好几天了」 was asked where (and would have been filed under whatever the model
    guessed); 「就是那个」 answering where was told 「辖区地名库里没有找到「那个」」."""
    asked = joined(say(rasa_url, sender, "那个东西又坏了好几天了"))
    assert "是什么坏了" in asked and "哪里" not in asked, asked
    where = joined(say(rasa_url, sender, "楼道的灯"))
    assert "哪里" in where or "地址" in where, where
    again = joined(say(rasa_url, sender, "就是那个"))
    assert "「那个」" not in again and "位置" in again, again
    summary = joined(say(rasa_url, sender, "海景花园3栋"))
    assert "问题：楼道的灯又坏了好几天了" in summary, summary


def test_saying_a_filed_problem_is_solved_adds_it_to_the_ticket(stack, rasa_url, app_url, sender):
    """An after-filing probe: 「不用了，物业已经清掉了」 was read as a new problem and asked 「这个问题也在…吗？」; and
    「都三天了还没人来修」 got the status without the ticket being urged."""
    say(rasa_url, sender, "阳光花园2栋楼道堆满杂物")
    ticket = filed_ticket(app_url, say(rasa_url, sender, "确认"))
    ticket_id = ticket["service_request_id"]
    pressed = joined(say(rasa_url, sender, "都三天了还没人来修"))
    assert f"已为您催办工单 {ticket_id}" in pressed, pressed
    asked = joined(say(rasa_url, sender, "我的那个工单 是不是已经办结了"))  # a status question (it read as a withdrawal)
    assert ticket_id in asked and "办理中" in asked and "撤销" not in asked, asked
    solved = joined(say(rasa_url, sender, "不用了，物业已经清掉了"))
    assert f"已把您说的情况补充到工单 {ticket_id}" in solved and "也在" not in solved, solved


def test_a_phone_alone_sounds_alone_and_english_are_answered_for_what_they_are(stack, rasa_url, app_url, sender):
    """A WeChat probe: 「13812345678」 alone was told 「我没有看懂您反映的问题」 (the number kept nowhere); 「啊啊啊啊啊啊」 was
    taken for a problem and asked where; 「the elevator in building 5 of 海景花园 is broken」 got a reply in Chinese only."""
    kept = joined(say(rasa_url, sender, "13812345678"))
    assert "已记下您的联系电话" in kept, kept
    summary = joined(say(rasa_url, sender, "海景花园3栋楼道灯坏了"))
    assert "联系电话：138****5678" in summary, summary
    other = f"{sender}-b"
    sounds = joined(say(rasa_url, other, "啊啊啊啊啊啊"))
    assert "哪里" not in sounds and ("没有看懂" in sounds or "没有完全理解" in sounds), sounds
    english = joined(say(rasa_url, f"{sender}-c", "the elevator in building 5 of 海景花园 is broken"))
    assert "Sorry" in english and "中文" in english, english
    # a web page probe: 「hello …」 read as a greeting and was welcomed in Chinese only
    greeted = joined(say(rasa_url, f"{sender}-d", "hello the street light is broken near my home"))
    assert "Sorry" in greeted, greeted
    # and 「我要投诉你们态度差」 was asked where: a complaint about the service goes to the duty operator
    about_us = joined(say(rasa_url, f"{sender}-e", "我要投诉你们态度差"))
    assert "人工坐席" in about_us and "哪里" not in about_us, about_us
