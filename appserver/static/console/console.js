// Shared by the console's pages: who is signed in, the CSRF token for changes, JSON calls, and
// safe rendering (text is only ever set as textContent: residents' words are never HTML).
"use strict";
const Console = {
  me: null,
  async start(here) {
    const resp = await fetch("/api/console/me", {credentials: "same-origin"});
    if (resp.status === 401) { location.href = "/console/login?next=" + encodeURIComponent(location.pathname + location.search); return null; }
    Console.me = await resp.json();
    const header = document.querySelector("header");
    const nav = el("nav");
    const pages = [["/console", "审核队列", "operator"], ["/console/sla", "督办看板", "operator"], ["/console/rates", "三率统计", "operator"],
                   ["/console/inbox", "训练样本", "trainer"], ["/console/models", "模型版本", "trainer"]];
    for (const [href, label, role] of pages) {
      if (Console.me.role !== "admin" && Console.me.role !== role) continue;
      const a = el("a", label); a.href = href; if (href === here) a.className = "here"; nav.append(a);
    }
    const who = el("span", `${Console.me.username}（${Console.roleName(Console.me.role)}）`); who.className = "who";
    const out = el("button", "退出"); out.id = "logout";
    out.onclick = async () => { await Console.call("POST", "/api/console/logout"); location.href = "/console/login"; };
    header.append(nav, who, out);
    return Console.me;
  },
  roleName(role) { return {operator: "坐席", trainer: "训练员", admin: "管理员"}[role] || role; },
  // the product's codes in the words operators use
  LABELS: {
    placement: {placed: "已定位到社区", pin: "地图定位", choose: "有多个候选地点", outside: "不在本辖区", unknown: "未能定位"},
    queue: {category: "分类待确认", place: "地点待确认", duplicate: "疑似重复", urgent: "特急跟进·待核实", handoff: "转人工", dead: "推送失败"},
    outcome: {approved: "审核通过", rejected: "不予受理", merged: "合并办理"},
    status: {open: "办理中", closed: "已办结"},
    channel: {web: "网页", wechat: "微信", voice: "热线", open311: "Open311接口", api: "接口"},
    // who did what in a ticket's history besides a named operator
    actor: {resident: "居民", dispatch: "派单系统", sla: "时限监控", operator: "坐席", agent: "智能受理"},
    reason: {requested: "居民要求", not_understood: "连续未能理解", distressed: "情绪激动", abusive: "言语过激", about_service: "投诉热线服务"},
    // what a resident's message meant (the intents of bot/domain)
    intent: {greet: "问候", goodbye: "道别", affirm: "肯定/确认", deny: "否定", report_problem: "反映问题", inform: "提供信息（如地点）",
             correct: "更正", query_status: "查询进度", request_handoff: "转人工", cancel: "取消", rate: "评价",
             out_of_scope: "与诉求无关", nlu_fallback: "没有理解"},
  },
  // the taxonomy's paths (each with its department) as the choices of a category input's datalist
  async categories(listId) {
    const {ok, data} = await Console.call("GET", "/api/console/categories");
    if (ok) for (const c of data) { const o = el("option"); o.value = c.path; o.textContent = c.department; document.getElementById(listId).append(o); }
  },
  label(kind, value) { return value === null || value === undefined ? "" : ((Console.LABELS[kind] || {})[value] || value); },
  async call(method, url, body) {
    const headers = {"Content-Type": "application/json"};
    if (method !== "GET") headers["X-CSRF-Token"] = Console.me.csrf_token;
    const resp = await fetch(url, {method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body)});
    if (resp.status === 401) { location.href = "/console/login?next=" + encodeURIComponent(location.pathname); throw new Error("请重新登录"); }
    let data = null;
    try { data = await resp.json(); } catch (e) { data = {error: `服务器返回 ${resp.status}`}; }
    return {ok: resp.ok, status: resp.status, data};
  },
  say(text, ok) {
    const box = document.getElementById("message");
    box.textContent = text; box.className = "message " + (ok ? "ok" : "bad");
  },
  time(iso) { return iso ? iso.replace("T", " ").slice(0, 16) : ""; },
  age(minutes) {
    if (minutes < 60) return `${minutes}分钟`;
    if (minutes < 1440) return `${Math.floor(minutes / 60)}小时`;
    return `${Math.floor(minutes / 1440)}天`;
  },
};
function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}
