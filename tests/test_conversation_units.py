"""The pieces the conversation judges messages with, one by one (no server needed)."""
from __future__ import annotations

import pytest

from dispatch.handoffs import HandoffQueue
from common.privacy import mask_id
from nlu.analysis import Analyzer
from nlu.contact import only_a_phone
from nlu.correction import claimed_urgency, opens_with_claim, read_correction
from nlu.distress import handoff_kind
from nlu.inquiry import is_inquiry
from nlu.locate import locate
from nlu.normalize import normalize_text
from nlu.vague import is_bare_request, name_alone, only_relative_place, says_only_when


@pytest.mark.parametrize("text,bare", [
    ("我要投诉", True), ("你好，我要投诉", True), ("有个事想反映一下", True), ("我要投诉海景花园", True),
    ("我要举报", True), ("我要投诉物业", False), ("楼上装修太吵了我要投诉", False), ("楼道灯坏了", False),
    ("你好", False), ("还有一个事 海景花园那边", True), ("另外有个问题", True), ("有个事故在路口", False),
    ("还有个问题 楼道灯坏了", False), ("你们能不能管管", True), ("这事你们管不管", True), ("水管管道破了", False)])
def test_bare_requests(text, bare):
    assert is_bare_request(text) is bare


@pytest.mark.parametrize("text,asked", [
    ("我想咨询一下公积金怎么提取", True), ("请问居住证怎么办理", True), ("医保卡丢了去哪里补办", True),
    ("想了解一下廉租房申请条件", True), ("请问楼下噪音怎么投诉", False), ("路灯坏了怎么申请维修", False),
    ("楼上漏水怎么办", False), ("海景花园物业乱收费", False), ("请问你们管不管", False),
    ("我想咨询一下，小孩打疫苗去哪里", True), ("老人的流感疫苗在哪里打", True), ("我想咨询一下，楼下噪音怎么投诉", False)])
def test_a_question_about_a_policy_is_an_inquiry_and_a_problem_is_not(text, asked):
    assert is_inquiry(text) is asked


@pytest.mark.parametrize("text,said,withdrawn", [
    ("不对，是32栋，不是59栋", "32栋", ["59栋"]), ("不是噪音，是油烟", "油烟", ["噪音"]),
    ("不是噪音是油烟", "油烟", ["噪音"]), ("地址错了，应该是海景花园3栋", "海景花园3栋", []),
    ("是5单元不是3单元", "5单元", ["3单元"]), ("哎不对我是九栋的", "我是九栋的", []),
    ("不是的，问题是楼道灯不亮", "楼道灯不亮", []), ("不对", "", []),
    # a resident contradicting themselves: what is said last wins
    ("不对是8栋旁边……哦不是，还是6栋，我记错了", "6栋", ["8栋旁边"]), ("不对是5栋，哦不对不对还是3栋", "3栋", ["5栋"]),
    ("不是油烟，是噪音，哎也不是噪音还是油烟", "油烟", ["噪音"]),
    # repaired mid-sentence (normalised text has no spaces): only the part taken back goes
    ("桥东社区 三栋 不对 是四栋", "桥东社区四栋", ["三栋"]), ("阳光花园2单元301 不对 是302", "阳光花园2单元302", ["301"]),
    ("哎呀重新说 不是田东 是梧桐社区 遛狗不牵绳", "梧桐社区遛狗不牵绳", ["田东"])])
def test_corrections_are_read(text, said, withdrawn):
    correction = read_correction(text)
    assert correction is not None and correction.said == said and correction.withdrawn == withdrawn


@pytest.mark.parametrize("text", ["楼道灯坏了", "是32栋", "对的", "海景花园3栋", "这样对不对", "水管漏了3.5米"])
def test_plain_messages_are_not_corrections(text):
    assert read_correction(text) is None


def test_urgency_claims_and_handoff_words():
    assert claimed_urgency("这个很急") == "紧急" and claimed_urgency("不是很急") == "一般"
    assert claimed_urgency("路灯坏了") is None
    # a message opening with the claim alone presses the problem told (「很急，有小孩在旁边玩」 was filed at the
    # summary as a second problem by a model that read it 城市公共设施 0.46); a claim after a problem does not
    assert opens_with_claim("很急，有小孩在旁边玩") and opens_with_claim("这个真的很急啊！老人要上楼")
    assert opens_with_claim("不急，慢慢弄")
    assert not opens_with_claim("楼道灯也坏了，很急") and not opens_with_claim("还有一个很急的，楼道着火了")
    assert handoff_kind("工资拖了半年，我真的不想活了") == "distressed"
    assert handoff_kind("你们这些垃圾机器人") == "abusive" and handoff_kind("垃圾没人清运") is None
    # the hotline's own service goes to its duty officer; a street office's staff or a bank's service line do not
    assert handoff_kind("我要投诉12345的工作人员，上次电话里态度很差") == "about_service"
    assert handoff_kind("我要投诉你们街道办的工作人员态度差") is None and handoff_kind("我要投诉XX银行的客服") is None


def test_a_phone_number_alone_is_a_contact():
    assert only_a_phone("我电话13800001111") == "13800001111" and only_a_phone("我的手机是 139 1234 5678") == "13912345678"
    assert only_a_phone("电话：0755-12345678") == "0755-12345678"
    assert only_a_phone("我电话13800001111，楼道灯也坏了") is None and only_a_phone("楼上漏水") is None


def test_a_number_repaired_mid_report_is_read_in_and_a_correction_stays_one():
    from nlu.correction import repair_in_report

    assert repair_in_report("海涛社区阳光花园六栋不对是七栋楼下有个化粪池冒出来了") == "海涛社区阳光花园七栋楼下有个化粪池冒出来了"
    assert repair_in_report("锦绣家园3栋2单元不对是3单元的灯坏了") == "锦绣家园3栋3单元的灯坏了"
    for said in ("不对，是七栋", "六栋不对是七栋", "对不对是七栋", "海景花园3栋不对，是锦绣家园"):
        assert repair_in_report(said) == said


def test_words_before_a_known_place_are_not_the_place():
    assert locate("我要投诉田东社区有人遛狗不牵绳").address.text == "田东社区"
    assert locate("喂倚山社区那个工地晚上还在施工").address.text == "倚山社区"
    assert locate("盐田区海山街道海景花园3栋").address.text == "盐田区海山街道海景花园3栋"


def test_numbered_problems_at_two_places_are_two_problems():
    analyzer = Analyzer.default()
    assert analyzer.split("反映两个事:一是海景花园3栋门口的垃圾桶好几天没人清，二是中英街牌坊旁边的公厕门坏了关不上") == [
        "海景花园3栋门口的垃圾桶好几天没人清", "中英街牌坊旁边的公厕门坏了关不上"]
    # two buildings of one estate are one place; 「该路」 is no place at all
    assert len(analyzer.split("海景花园3栋楼道灯坏了，还有5栋楼道灯也坏了")) == 1
    assert len(analyzer.split("该路公交全程3元，但是司机常常乱收费，另外该路车司机服务态度极差")) == 1


def test_a_marked_problem_after_one_the_model_is_unsure_of_is_split_in_a_short_message():
    """「…占用消防通道停车，还有楼道灯也坏了」 was one ticket: the parking read unsure (0.15) under the
    light's own label. A long letter is not cut that way (nlu/split.SHORT_MESSAGE)."""
    analyzer = Analyzer.default()
    assert analyzer.split("东海岸小区2栋楼下有人占用消防通道停车，还有楼道灯也坏了") == [
        "东海岸小区2栋楼下有人占用消防通道停车", "楼道灯也坏了"]


def test_numbered_problems_said_without_commas_are_split():
    """A call or a quick message counts them without punctuation: 一是 … 二是 … still splits."""
    analyzer = Analyzer.default()
    assert analyzer.split(normalize_text("两个事 一是楼道灯坏了 二是垃圾没人收")) == ["楼道灯坏了", "垃圾没人收"]


def test_problems_numbered_in_a_short_message_without_a_line_between_are_split():
    """A WeChat probe: 「两个问题：1.海景花园5栋门口垃圾没人清 2.小区北门的路灯不亮」 was one ticket (环境卫生) with both
    problems in its words. In a short message 「1.…2.…」「（1）…（2）…」 number problems; in a letter they number the
    points of one complaint (train.csv's letters split as before), and 「2.5米」 is a length."""
    analyzer = Analyzer.default()
    assert analyzer.split(normalize_text("两个问题：1.海景花园5栋门口垃圾没人清 2.小区北门的路灯不亮")) == [
        "海景花园5栋门口垃圾没人清", "小区北门的路灯不亮"]
    assert analyzer.split(normalize_text("（1）锦绣家园3栋电梯坏了（2）小区门口垃圾没人清")) == [
        "锦绣家园3栋电梯坏了", "小区门口垃圾没人清"]
    assert len(analyzer.split(normalize_text("海景花园门口积水有1.5米深 2.5米宽的坑也看不见"))) == 1


def test_a_further_problem_said_with_also_not_working_or_nobody_collecting_is_split():
    """Analyzer probes: 「…，小区北门的路灯也不亮」 and 「…，楼道灯也不亮，垃圾也没人收」 were no further problems (「也不」
    「也没」 are left out of the 也 that marks one, for 「也不知道」 「也没用」); a thing not working or not collected is one."""
    analyzer = Analyzer.default()
    assert analyzer.split(normalize_text("锦绣家园4栋电梯坏了三天了，楼道灯也不亮，垃圾也没人收")) == [
        "锦绣家园4栋电梯坏了三天了", "楼道灯也不亮", "垃圾也没人收"]
    assert len(analyzer.split(normalize_text("楼道灯坏了，我也不知道找谁"))) == 1


def test_problems_counted_as_one_and_the_other_are_split():
    """「两个事，一个是…，另一个是…」 was one ticket under the parking's category, 「两个事，」 at its head."""
    analyzer = Analyzer.default()
    assert analyzer.split(normalize_text("我想反映两个事，一个是锦绣家园的电梯坏了，另一个是小区门口天天有人乱停车")) == [
        "锦绣家园的电梯坏了", "小区门口天天有人乱停车"]
    assert analyzer.split(normalize_text("两件事，一件是楼道灯坏了，另一件是垃圾没人收")) == ["楼道灯坏了", "垃圾没人收"]
    # 「另一个」 naming another of the same thing at one place is no second problem
    assert len(analyzer.split(normalize_text("锦绣家园3栋电梯坏了，另一个单元的也坏了"))) == 1


def test_a_closing_clause_placing_all_the_problems_is_not_part_of_the_last():
    """「一是…，二是…，三是有人占道经营，都在海景花园门口」: the third ticket read 「有人占道经营，都在海景花园门口」;
    each problem is placed there. One problem keeps its words, and a clause naming no place stays."""
    analyzer = Analyzer.default()
    issues = analyzer.analyze("一是路灯坏了，二是垃圾没人清，三是有人占道经营，都在海景花园门口")["issues"]
    assert [(i["description"], i["location"]["estate"]) for i in issues] == [
        ("路灯坏了", "海景花园"), ("垃圾没人清", "海景花园"), ("有人占道经营", "海景花园")]
    assert analyzer.split("路灯坏了，都在海景花园门口") == ["路灯坏了，都在海景花园门口"]
    assert analyzer.split("海景花园3栋电梯坏了，还有楼道里堆满了杂物，都在3栋")[-1] == "楼道里堆满了杂物，都在3栋"


def test_a_message_without_a_marked_clause_is_not_classified_to_be_split():
    """The split asks the problem-type model about a clause only when a marked clause needs a
    comparison: a single problem told in several clauses costs no classification there (with a
    sentence encoder each costs 15–20 ms), and a marked one asks once per clause."""
    analyzer = Analyzer.default()
    asked = []

    def label(clause):
        asked.append(clause)
        return analyzer.label(clause)

    from nlu.split import split_problems
    assert split_problems("海景花园3栋楼道灯坏了，晚上很黑，老人上下楼不方便", label) == ["海景花园3栋楼道灯坏了，晚上很黑，老人上下楼不方便"]
    assert asked == []
    assert split_problems("海景花园3栋楼道灯坏了，晚上很黑，另外小区门口的垃圾好几天没人清", label) == [
        "海景花园3栋楼道灯坏了，晚上很黑", "小区门口的垃圾好几天没人清"]
    assert asked == ["海景花园3栋楼道灯坏了，", "另外小区门口的垃圾好几天没人清"]


def test_a_problem_is_stated_without_the_words_that_announce_it():
    from nlu.courtesy import problem_text

    assert problem_text("嗯你好我想反映一下就是楼下的下水道往外冒污水") == "楼下的下水道往外冒污水"
    assert problem_text("有个事想反映一下，小区门口的井盖没了，谢谢") == "小区门口的井盖没了"
    assert problem_text("你好，我要投诉，楼上装修太吵了") == "楼上装修太吵了"
    # a console probe: a second report in one conversation 「我还要反映一下，…」 kept its preamble on the ticket
    assert problem_text("我还要反映一下，海景花园3栋楼道的灯坏了") == "海景花园3栋楼道的灯坏了"
    # nothing is taken from the problem itself, and a request alone stays as said
    assert problem_text("我家楼下的路灯坏了") == "我家楼下的路灯坏了"
    assert problem_text("那个人天天在楼下烧垃圾") == "那个人天天在楼下烧垃圾"
    assert problem_text("我要投诉") == "我要投诉"
    assert problem_text("请问一下办居住证要带什么材料") == "办居住证要带什么材料"  # not 「一下办…」


@pytest.mark.parametrize("one,other,same", [
    ("3栋电梯坏了", "3栋楼道灯坏了", False), ("电梯坏了，一直停在一楼", "楼道灯坏了", False),
    ("楼道灯坏了", "楼梯扶手断了", False), ("楼道的灯不亮", "5栋楼道灯坏了", True),
    ("门口垃圾堆了好几天", "门口的垃圾没人清", True), ("楼上装修太吵", "楼上装修噪音大", True)])
def test_two_reports_are_about_the_same_thing_when_their_subjects_meet(one, other, same):
    """What dispatch/store.py links as a duplicate at one place and category: an unknown subject
    (「楼上装修太吵」 names no thing) meets any."""
    from dispatch.store import same_subject
    from nlu.subject import subject_of

    assert same_subject(subject_of(one), subject_of(other)) is same


@pytest.mark.parametrize("text,line", [
    ("23路", "23路"), ("坐的是23路公交车", "23路"), ("m123路公交", "M123路"), ("就是那个56路，早上八点那班", "56路"),
    ("海景二路12号", None), ("在3路口", None), ("深盐路100号", None), ("公交车司机开车玩手机", None)])
def test_a_bus_line_is_read_and_a_road_is_not(text, line):
    from nlu.route import bus_line

    assert bus_line(text) == line


def test_a_metro_line_is_read_and_a_wires_end_is_not():
    from nlu.route import transit_line

    assert transit_line("地铁2号线太挤了") == ("地铁2号线", "地铁2号线") == transit_line("坐2号线上班")
    assert transit_line("23路公交") == ("23路", "23路公交线路") and transit_line("12号线头露着") is None


def test_closing_thanks_are_courtesy_like_openings():
    from nlu.courtesy import carries_content, strip_courtesy

    assert strip_courtesy("喂你好 路灯坏了，麻烦尽快修一下，谢谢") == "路灯坏了，麻烦尽快修一下"
    assert not carries_content("好的谢谢你") and not carries_content("没事了，谢谢")


@pytest.mark.parametrize("text,when", [
    ("每天晚上", True), ("从昨天开始", True), ("三天了", True), ("凌晨两点多", True), ("好几天了", True),
    ("路灯也坏了", False), ("每天晚上都有人吵", False), ("一直漏水", False)])
def test_a_time_alone_is_told_apart_from_a_problem(text, when):
    assert says_only_when(text) is when


def test_a_message_sent_twice_is_told_apart_from_a_detail():
    from actions.revise_intake import repeated

    told = "楼下烧烤店每天晚上吵到两点（补充：从上个月开始）"
    assert repeated("楼下烧烤店每天晚上吵到两点", told) and repeated("从上个月开始", told)
    assert not repeated("每天晚上", told)  # a part of the report is news, not a repeat


def test_an_estate_phase_is_not_a_district():
    """「翠苑三区」 is a phase of an estate; read as a district, the report was refused as outside the area."""
    for text, estate in (("翠苑三区5栋电梯坏了", "翠苑三区"), ("华侨城一区3栋", "华侨城一区"), ("莲花北村二区", "莲花北村二区")):
        located = locate(text)
        assert located.address.estate == estate and located.placement.status != "outside", (text, located)
    assert locate("宝安区西乡街道那边路灯坏了").placement.status == "outside"


def test_a_place_is_read_from_one_clause():
    found = locate("海景花园3栋楼下的路灯坏了，还有幸福路上的井盖丢了")
    assert found.address.estate == "海景花园" and found.address.building == "3" and found.address.road is None
    split = locate("海景花园，3栋2单元漏水")
    assert (split.address.estate, split.address.building, split.address.unit) == ("海景花园", "3", "2")
    assert not locate("楼道灯坏了，另外小区门口的垃圾好几天没人清运了").found


def test_approval_emoji_is_a_yes_and_blank_stays_blank():
    assert normalize_text("👍") == "好的" and normalize_text("👍🏻") == "好的"
    assert normalize_text("  ") == "" and normalize_text("好👍") == "好"


def test_handoff_queue_keeps_one_waiting_entry_per_conversation(tmp_path):
    queue = HandoffQueue(f"sqlite:///{tmp_path / 'h.db'}")
    first = queue.hand_off("oXYZ1234567890abcdef", "wechat", "requested",
                           [{"who": "resident", "text": "我的电话13812345678"}], {"problem_description": "路灯坏了"})
    again = queue.hand_off("oXYZ1234567890abcdef", "wechat", "not_understood", [], {})
    assert first.id == again.id and again.reason == "not_understood"
    listed = queue.list()
    assert len(listed) == 1 and listed[0].sender == mask_id("oXYZ1234567890abcdef") == "oXY****def"
    assert "13812345678" not in first.transcript[0]["text"]
    with pytest.raises(ValueError):
        queue.hand_off("x", "web", "bored", [], {})


def _tracker(slots: dict):
    from rasa_sdk import Tracker

    return Tracker(sender_id="s", slots=slots, latest_message={}, events=[], paused=False, followup_action=None,
                   active_loop={}, latest_action_name=None)


def _session_start(slots: dict):
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    from actions.session_start import ActionSessionStart

    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSessionStart().run(dispatcher, _tracker(slots), {}))
    return [m.get("text") for m in dispatcher.messages], events


def test_a_new_session_keeps_a_report_waiting_for_confirmation():
    texts, events = _session_start({"stage": "confirming", "problem_description": "路灯坏了",
                                    "location": "海景花园3号楼", "intake_summary": "问题：路灯坏了"})
    assert "还没有提交" in texts[0] and "问题：路灯坏了" in texts[0]
    assert events[0]["event"] == "session_started" and events[-1] == {**events[-1], "name": "action_listen"}
    kept = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert kept["stage"] == "confirming" and kept["location"] == "海景花园3号楼"


def test_a_new_session_asks_for_what_a_half_told_report_lacks():
    texts, events = _session_start({"problem_description": "楼道灯坏了一个星期了"})
    assert "还没有登记完" in texts[0] and "地点" in texts[0]
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["problem_description"] == "楼道灯坏了一个星期了"


def test_a_new_session_after_filing_keeps_only_the_tickets():
    texts, events = _session_start({"stage": "filed", "ticket_id": "20261129000001", "location": "海景花园"})
    assert texts == [] and [e["name"] for e in events if e["event"] == "slot"] == ["ticket_id", "stage"]


@pytest.mark.parametrize("text,name", [
    ("碧海湾", "碧海湾"), ("就是在碧海湾那边", "碧海湾"), ("我们小区", None), ("楼下", None),
    ("每天晚上十一点以后", None), ("13栋", None), ("海景花园3栋", None),
    # a workplace answering where (unpaid wages): 「公司叫鑫达五金厂」 was taken as more about the problem
    ("公司叫鑫达五金厂", "鑫达五金厂"), ("我们公司叫鑫达五金制品有限公司", "鑫达五金制品有限公司"), ("叫什么来着", None),
    # a state answering where after 「路灯」 (it was told 「辖区地名库里没有找到「坏了」」); names without a noun stay names
    ("坏了", None), ("很吵", None), ("天天", None), ("金色年华", "金色年华"), ("幸福里", "幸福里")])
def test_a_name_said_alone_is_told_apart_from_a_relative_place(text, name):
    assert name_alone(text) == name


def test_an_answer_saying_it_gives_a_name_is_told_apart_from_a_problem():
    """「公司叫鑫达五金厂」 says a name follows (the problem-type model read a labour dispute in 公司); a bare 叫
    opening a sentence (「叫卖声太吵」) does not."""
    from nlu.vague import says_a_name

    assert says_a_name("公司叫鑫达五金厂") and says_a_name("名叫宏发") and says_a_name("店叫好再来")
    assert not says_a_name("叫卖声太吵") and not says_a_name("鑫达五金厂") and not says_a_name("叫什么来着")


@pytest.mark.parametrize("text,relative", [
    ("我们小区", True), ("就在我家楼下", True), ("门口", True), ("碧海湾", False), ("都臭了", False),
    ("楼下垃圾都臭了", False), ("", False)])
def test_a_place_relative_to_the_resident_says_nothing_about_the_problem(text, relative):
    assert only_relative_place(text) is relative


@pytest.mark.parametrize("text,number", [
    ("20261201000001", "20261201000001"), ("工单号：20261201000001", "20261201000001"),
    ("查询 20261201000001 的进度", "20261201000001"), ("20261201000001 楼道灯还没修", None),
    ("13812345678", None), ("2026120100000123", None), ("20261201000001 20261201000002", None)])
def test_a_message_that_is_only_a_ticket_number(text, number):
    from nlu.ticket_number import only_a_ticket_number

    assert only_a_ticket_number(text) == number


def test_words_announcing_a_problem_are_no_problem_of_their_own():
    """「对了还有个事，2栋的电梯也坏了」 after a filing was two tickets: 「对了还有个事」 (安全隐患) and the
    elevator. Words that only announce a problem are dropped, and in a chat message they mark the
    clause after them as a further problem."""
    from nlu.split import strip_connective

    analyzer = Analyzer.default()
    assert analyzer.split(normalize_text("对了还有个事，2栋的电梯也坏了")) == ["2栋的电梯也坏了"]
    assert analyzer.split(normalize_text("锦绣家园3栋楼道灯坏了，还有个事，小区门口的垃圾好几天没人清")) == [
        "锦绣家园3栋楼道灯坏了", "小区门口的垃圾好几天没人清"]
    assert strip_connective("对了还有个事，2栋的电梯也坏了") == "2栋的电梯也坏了"
    assert strip_connective("有个事想反映一下，楼道灯坏了") == "楼道灯坏了"
    # 还有 as the verb is kept: 「个问题很严重」 was left of it
    assert strip_connective("还有个问题很严重，电梯老困人") == "还有个问题很严重，电梯老困人"


def test_a_part_naming_only_a_building_or_the_estate_grounds_is_placed_in_the_message_estate():
    """「锦绣家园3栋2单元楼道灯坏了，还有5栋的电梯也坏了」: the elevator was filed at 「5栋」, nowhere; the
    rubbish at the gate in 「…，还有小区门口的垃圾好几天没人清」 at 3栋2单元. A part without a place of its own
    still shares the message's (「另外电梯也坏了」)."""
    analyzer = Analyzer.default()

    def places(text):
        return [(i["location"]["text"], i["location"]["building"], i["location"]["unit"])
                for i in analyzer.analyze(text)["issues"]]

    assert places("锦绣家园3栋2单元楼道灯坏了，还有5栋的电梯也坏了") == [
        ("锦绣家园3栋2单元", "3", "2"), ("锦绣家园5栋", "5", None)]
    assert places("锦绣家园3栋2单元楼道灯坏了，还有小区门口的垃圾好几天没人清") == [
        ("锦绣家园3栋2单元", "3", "2"), ("锦绣家园", None, None)]
    assert places("锦绣家园3栋楼道灯坏了，另外电梯也坏了") == [("锦绣家园3栋", "3", None)] * 2
    from dispatch.location import Address
    from nlu.part_place import FINE_PARTS, without

    # the number of a phase is no building: only the building's own number is cut from the words
    assert without(Address.from_dict({"estate": "龙湖3期", "building": "3", "text": "龙湖3期3栋"}), FINE_PARTS).text == "龙湖3期"


@pytest.mark.parametrize("text,other", [
    ("算了，说另一个事，小区门口垃圾没人清", "小区门口垃圾没人清"), ("先不说这个了，楼下的狗天天叫", "楼下的狗天天叫"),
    ("这个先不报了 换个问题 门口垃圾没人清", "门口垃圾没人清"), ("换个问题，小区电梯老坏", "小区电梯老坏"),
    ("算了这个不说了，我们楼下的烧烤摊太吵了", "我们楼下的烧烤摊太吵了"), ("算了，反映别的问题吧，楼下烧烤太吵", "楼下烧烤太吵"),
    # nothing dropped: an added problem, a cancel, a figure of speech; or nothing yet to turn to
    ("说另一个事，门口垃圾没人清", None), ("还有一个事，门口垃圾", None), ("算了，不报了", None), ("算了", None),
    ("不管怎么样，楼道灯要修", None), ("不说别的，这个灯必须修", None), ("算了，说另一个事", None)])
def test_a_problem_dropped_for_another_is_read(text, other):
    from nlu.topic_switch import drops_problem, other_problem

    assert other_problem(text) == other
    assert drops_problem("算了，说另一个事") and not drops_problem("还有一个事") and not drops_problem("算了")


@pytest.mark.parametrize("text,pairs", [
    ("不是3栋是5栋，也不是电梯是楼道灯", [("3栋", "5栋"), ("电梯", "楼道灯")]), ("不是油烟，是噪音", [("油烟", "噪音")]),
    ("是噪音不是油烟", [("油烟", "噪音")]), ("不对，是5栋", []),
    ("不是油烟，是噪音，哎也不是噪音还是油烟", [("噪音", "油烟")])])
def test_a_correction_pairs_what_it_takes_back_with_what_it_says(text, pairs):
    assert read_correction(text).pairs == pairs


def test_a_message_going_on_from_the_last_is_a_detail_unless_it_names_another_problem():
    from nlu.continuation import continues

    assert continues("不过旁边已经有人放了锥桶围起来了") and continues("补充一下，是从昨天开始的")
    assert continues("不过现在漏得更厉害了")
    assert not continues("但是电梯也坏了") and not continues("不过还有个事，门口垃圾") and not continues("但是")
    assert not continues("楼道灯坏了") and not continues("不过我还要反映个问题")
    # how the problem is going now: a detail; something new happening now is not
    assert continues("现在水越来越大了，已经漫到楼道了") and continues("现在还在漏")
    assert not continues("现在小区门口又有人乱停车了") and not continues("目前电梯也坏了")


def test_a_detail_added_is_noted_without_saying_it_is_added():
    from nlu.continuation import without_adding

    assert without_adding("补充一下，是从昨天开始的") == "是从昨天开始的"
    assert without_adding("我再补充一句：物业不管") == "物业不管" and without_adding("补充") == "补充"
    assert without_adding("不过旁边有锥桶") == "不过旁边有锥桶"


@pytest.mark.parametrize("text,rating,reason", [
    ("5分", "满意", ""), ("四星", "满意", ""), ("给3颗星", "基本满意", ""), ("满分", "满意", ""),
    ("1分，太慢了", "不满意", "太慢了"), ("10分", "满意", ""), ("7分", None, "7分"), ("等了5分钟", None, "等了5分钟")])
def test_a_score_is_read_as_a_rating(text, rating, reason):
    from nlu.satisfaction import read_rating

    assert read_rating(text) == (rating, reason)


def test_why_a_report_is_withdrawn_is_read_and_thanks_for_a_fix_told_from_a_report():
    from nlu.report_in_greeting_component import thanks_for_a_fix
    from nlu.withdrawal import reason_given

    assert reason_given("刚才那个不用处理了，灯已经好了") == "刚才那个不用处理了，灯已经好了"
    assert reason_given("不用来了，邻居已经修好了") is not None
    assert all(reason_given(t) is None for t in ("取消", "我要撤销刚才的工单", "算了，不报了", "帮我取消一下"))
    assert thanks_for_a_fix("谢谢你们，上次的路灯修好了") and thanks_for_a_fix("问题解决了，感谢")
    assert not thanks_for_a_fix("谢谢，上次修好的路灯又坏了") and not thanks_for_a_fix("谢谢，楼道灯坏了")


def test_pressing_words_are_read():
    from nlu.pressing import presses

    assert presses("我已经打过三次电话了，路灯还是没人修") and presses("反映了好几次了，怎么还是没人管")
    assert not presses("楼道灯坏了") and not presses("我家楼上漏水")


def test_urging_words_are_read():
    from nlu.pressing import urges

    assert urges("催一下") and urges("帮我催催") and urges("能不能催办一下") and urges("打了三次电话了")
    assert not urges("楼道灯坏了") and not urges("查询进度")
    # an after-filing probe: 「都三天了还没人来修」 was answered with the status, not urged
    assert urges("都三天了还没人来修") and urges("怎么还没人来") and not urges("我还没说完")
    from nlu.withdrawal import asks_if_done

    assert asks_if_done("我的那个工单 是不是已经办结了") and asks_if_done("灯修好了吗")
    assert not asks_if_done("不用了，物业已经清掉了") and not asks_if_done("问题已经解决了")


def test_a_further_problem_in_a_building_or_at_a_gate_is_placed_in_the_estate_named_before():
    """A web page probe: 「海景花园的路灯坏了，还有5栋的电梯也坏了」 filed the lift at 「海景花园的路灯坏了，还有5栋」 (the message's
    place read across the clause between its parts); 「…2.小区北门的路灯不亮」 lost its gate; a gate is beside the
    buildings, so 「海景花园东门…，还有5栋…」 puts the lift at 海景花园5栋, not at the gate."""
    analyzer = Analyzer.default()

    def places(text):
        return [issue["location"]["text"] for issue in analyzer.analyze(text)["issues"]]

    assert places("海景花园的路灯坏了，还有5栋的电梯也坏了") == ["海景花园", "海景花园5栋"]
    assert places("海景花园东门的路灯坏了，还有5栋的电梯也坏了") == ["海景花园东门", "海景花园5栋"]
    assert places("两个问题：1.海景花园5栋门口垃圾没人清 2.小区北门的路灯不亮") == ["海景花园5栋", "海景花园北门"]
    assert places("海景花园，3栋2单元的楼道灯坏了") == ["海景花园3栋2单元"]
    # a console probe: a gate opening the further problem, the estate unsaid, was the first problem's building; 「…也不亮」
    # (a further problem said with 也) was no further problem at all
    assert places("海景花园5栋电梯坏了，还有北门的路灯不亮") == ["海景花园5栋", "海景花园北门"]
    assert places("海景花园5栋电梯坏了，小区北门的路灯也不亮") == ["海景花园5栋", "海景花园北门"]


def test_a_broken_thing_left_unnamed_is_asked_about_and_the_answer_completes_it():
    from nlu.vague import name_alone, names_no_thing, with_thing_named

    assert names_no_thing("那个东西又坏了好几天了") and names_no_thing("又坏了") and names_no_thing("它又坏了，都三天了")
    assert not names_no_thing("灯坏了") and not names_no_thing("电梯又坏了") and not names_no_thing("我要投诉")
    assert with_thing_named("楼道的灯", "那个东西又坏了好几天了") == "楼道的灯又坏了好几天了"
    assert with_thing_named("就是小区的电梯", "又坏了") == "小区的电梯又坏了"
    assert with_thing_named("楼道灯不亮了", "那个东西又坏了") == "楼道灯不亮了"  # the answer says it all
    assert name_alone("就是那个") is None and name_alone("那个地方") is None and name_alone("碧海湾") == "碧海湾"
