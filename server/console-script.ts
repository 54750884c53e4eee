/**
 * The console's browser script, inlined into the page (no build step). It calls the agent API with the session
 * cookie and re-reads the queue or the open conversation whenever `/agent/events` (server-sent events) says
 * something changed. Content is only ever set with `textContent`: messages come from customers and must never be
 * interpreted as HTML.
 */
export const CONSOLE_SCRIPT = `
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
    return node;
  }
  async function api(path, init) {
    const res = await fetch("/agent" + path, { credentials: "same-origin", ...init,
      headers: { "content-type": "application/json", ...(init && init.headers) } });
    const body = await res.json().catch(() => ({}));
    return { status: res.status, body };
  }
  const post = (path, data) => api(path, { method: "POST", body: JSON.stringify(data || {}) });
  function toast(text) { $("toast").textContent = text; }

  const loginForm = $("login-form");
  if (loginForm) {
    loginForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      const r = await post("/login", { token: $("token").value.trim() });
      if (r.status === 200) location.reload(); else $("login-error").textContent = (r.body.error && r.body.error.message) || "Sign-in failed.";
    });
    return;
  }

  let current = null, agents = [], translateOn = false, statusTimer = 0;
  const minutes = (iso) => Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60000));

  function renderList(id, handoffs, emptyText) {
    const list = $(id);
    list.replaceChildren(...(handoffs.length ? handoffs.map((h) => el("li", {},
      el("button", { type: "button", "data-conversation": h.conversationId, "data-handoff": h.id,
        "aria-current": current === h.conversationId ? "true" : "false", onclick: () => openConversation(h.conversationId) },
        (h.customer.name || h.customer.waId || "Customer") + " · " + h.reason.replace(/_/g, " "),
        el("span", { class: "meta" + (h.waitingTooLong ? " late" : "") },
          h.priority + " · " + (h.language || "?") + (h.skill ? " · " + h.skill : "") + " · waiting " + minutes(h.waitingSince) + " min" +
          (h.waitingTooLong ? " · waiting too long" : ""))))) : [el("li", { class: "meta" }, emptyText)]));
  }
  async function loadLists() {
    const [w, m] = await Promise.all([api("/handoffs?status=waiting"), api("/handoffs?status=mine")]);
    if (w.status === 401) return location.reload();
    renderList("queue", w.body.handoffs || [], "Nobody is waiting.");
    renderList("mine", m.body.handoffs || [], "No conversations assigned to you.");
  }

  function summaryPanel(h) {
    if (!h) return null;
    const s = h.summary;
    return el("section", { class: "summary", "aria-label": "Handoff summary" },
      el("h2", {}, "Summary"),
      el("p", {}, el("strong", {}, "Customer wants: "), s.customerWants || "—"),
      s.facts.length ? el("ul", {}, s.facts.map((f) => el("li", {}, f))) : null,
      s.botTried.length ? el("p", {}, el("strong", {}, "Bot tried: "), s.botTried.join("; ")) : null,
      el("p", {}, el("strong", {}, "Sentiment: "), s.sentiment, " · ", el("strong", {}, "Suggested: "), s.suggestedNextStep),
      el("p", { class: "meta" }, "Reason " + h.reason + " · priority " + h.priority + " · status " + h.status +
        (h.assignee ? " · " + h.assignee.name : "") + (h.timeToFirstReplySeconds !== null ? " · first reply after " + h.timeToFirstReplySeconds + " s" : "")));
  }
  function transcript(v) {
    const items = v.transcript.map((m) => ({ at: m.createdAt, node: el("li", { class: "msg " + m.by, "data-id": m.id },
      el("span", { class: "who" }, (m.by === "human" ? (m.agentName || "Agent") : m.by) + " · " + new Date(m.createdAt).toLocaleTimeString() +
        (m.status ? " · " + m.status : "") + (m.error ? " · " + (m.error.title || "failed") : "")),
      m.text || "[" + m.type + "]",
      m.translated ? el("span", { class: "meta" }, "translated") : null,
      m.translation ? el("span", { class: "meta translation", lang: "" }, "→ " + m.translation) : null) }));
    for (const n of v.notes) items.push({ at: n.createdAt, node: el("li", { class: "msg note" },
      el("span", { class: "who" }, (n.kind === "note" ? "Internal note" : "Event") + " · " + (n.agentName || "") + " · never sent to the customer"), n.text) });
    items.sort((a, b) => a.at.localeCompare(b.at));
    return el("ol", { class: "transcript", "aria-label": "Transcript", "aria-live": "polite" }, items.map((i) => i.node));
  }
  function replyBox(v) {
    const win = el("p", { class: "window" + (v.window.open ? "" : " closed") }, v.window.open
      ? "24-hour window open until " + new Date(v.window.expiresAt).toLocaleString()
      : "24-hour window closed: only templates can be sent.");
    if (!v.window.open) {
      const pick = el("select", { id: "template" }, v.templates.map((t, i) => el("option", { value: String(i) }, t.name + " (" + t.language + ")")));
      const params = el("input", { id: "template-params", placeholder: "parameters, comma separated" });
      return el("form", { id: "template-form", onsubmit: async (e) => {
          e.preventDefault();
          const t = v.templates[Number(pick.value)];
          if (!t) return toast("No approved template.");
          const parameters = params.value.trim() ? params.value.split(",").map((p) => p.trim()) : [];
          const r = await post("/conversations/" + v.conversation.id + "/template", { name: t.name, language: t.language, parameters });
          toast(r.status === 202 ? "Template queued." : (r.body.error && r.body.error.message) || "Template refused.");
          openConversation(v.conversation.id);
        } }, win, el("label", { for: "template" }, "Template"), pick, el("label", { for: "template-params" }, "Parameters"), params,
        el("button", { type: "submit", class: "primary" }, "Send template"));
    }
    const text = el("textarea", { id: "reply", name: "reply", maxlength: "4096" });
    const form = el("form", { id: "reply-form", onsubmit: async (e) => {
        e.preventDefault();
        if (!text.value.trim()) return;
        const r = await post("/conversations/" + v.conversation.id + "/messages", { text: text.value, translate: translateOn });
        if (r.status === 202) { text.value = ""; toast("Reply queued."); }
        else toast(r.body.code === "window_closed" ? "Window closed: pick a template." : (r.body.error && r.body.error.message) || "Not sent.");
        openConversation(v.conversation.id);
      } }, win, el("label", { for: "reply" }, "Reply to the customer (Ctrl+Enter sends)"), text, el("button", { type: "submit", class: "primary" }, "Send reply"));
    text.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
    return form;
  }
  function noteBox(v) {
    const text = el("textarea", { id: "note", name: "note", maxlength: "4000" });
    return el("form", { id: "note-form", onsubmit: async (e) => {
        e.preventDefault();
        if (!text.value.trim()) return;
        const r = await post("/conversations/" + v.conversation.id + "/notes", { text: text.value });
        if (r.status === 201) text.value = "";
        openConversation(v.conversation.id);
      } }, el("label", { for: "note" }, "Internal note (never sent)"), text, el("button", { type: "submit" }, "Add note"));
  }
  function actions(v) {
    const h = v.handoff;
    if (!h || h.status === "resolved") return el("p", { class: "meta" }, "No open handoff: the " + v.conversation.owner + " owns this conversation.");
    if (h.status === "waiting") return el("div", { class: "actions" }, el("button", { type: "button", id: "claim", class: "primary", onclick: async () => {
      const r = await post("/handoffs/" + h.id + "/claim");
      toast(r.status === 200 ? "Claimed." : (r.body.error && r.body.error.message) || "Could not claim.");
      loadLists(); openConversation(v.conversation.id);
    } }, "Claim"));
    const target = el("select", { id: "transfer-to" }, agents.filter((a) => a.id !== h.assignee?.id).map((a) => el("option", { value: "agent:" + a.id }, a.name + " (" + a.status + ")")),
      el("option", { value: "skill" }, "a skill…"));
    const skill = el("input", { id: "transfer-skill", placeholder: "skill, e.g. billing" });
    const back = el("input", { type: "checkbox", id: "return-to-bot", checked: true });
    const csat = el("input", { type: "checkbox", id: "csat" });
    return el("div", { class: "actions" },
      el("label", { for: "transfer-to" }, "Transfer to"), target, el("label", { for: "transfer-skill", class: "meta" }, "Skill"), skill,
      el("button", { type: "button", id: "transfer", onclick: async () => {
        const body = target.value === "skill" ? { skill: skill.value.trim() } : { agentId: target.value.slice(6) };
        const r = await post("/handoffs/" + h.id + "/transfer", body);
        toast(r.status === 200 ? "Transferred." : (r.body.error && r.body.error.message) || "Transfer failed.");
        loadLists(); openConversation(v.conversation.id);
      } }, "Transfer"),
      el("label", {}, back, " Hand back to the bot"), el("label", {}, csat, " Ask for a rating (1–5)"),
      el("button", { type: "button", id: "resolve", class: "primary", onclick: async () => {
        const r = await post("/handoffs/" + h.id + "/resolve", { returnToBot: back.checked, csat: csat.checked });
        toast(r.status === 200 ? "Resolved." : (r.body.error && r.body.error.message) || "Could not resolve.");
        loadLists(); openConversation(v.conversation.id);
      } }, "Resolve"));
  }
  function sidePanel(v) {
    const c = v.customer;
    const orders = v.orders.ok
      ? (v.orders.items.length ? el("ul", {}, v.orders.items.map((o) => el("li", {}, o.order_id + " · " + o.status + " · " + o.total + " " + o.currency + " · " + o.items + " item(s)")))
        : el("p", { class: "meta" }, "No orders."))
      : el("p", { class: "meta" }, v.orders.reason);
    return [el("h2", {}, "Customer"), el("dl", {},
      el("dt", {}, "Name"), el("dd", {}, c.name || "—"), el("dt", {}, "WhatsApp"), el("dd", {}, c.identities.waId || c.identities.userId || "—"),
      el("dt", {}, "Language"), el("dd", {}, c.language || "—"), el("dt", {}, "Marketing opt-in"), el("dd", {}, c.marketingConsent.replace("_", " ")),
      el("dt", {}, "Tags"), el("dd", {}, c.tags.join(", ") || "—"),
      el("dt", {}, "Customer tags"), tagEditor(v.conversation.id)), el("h2", {}, "Orders"), orders];
  }
  // Automatic tags show their reason on hover; manual ones can be removed, and any agent can add one.
  function tagEditor(conversationId) {
    const box = el("dd", { id: "tags" }, "…");
    const change = async (body) => {
      const r = await api("/conversations/" + conversationId + "/tags", { method: "PATCH", body: JSON.stringify(body) });
      toast(r.status === 200 ? "Tags saved." : (r.body.error && r.body.error.message) || "Tag not saved.");
      if (r.status === 200) openConversation(conversationId);
    };
    api("/conversations/" + conversationId + "/tags").then((r) => {
      if (r.status !== 200) return box.replaceChildren("—");
      const input = el("input", { id: "tag-add", placeholder: "add a tag", maxlength: 64, size: 12, "aria-label": "Add a tag" });
      box.replaceChildren(...r.body.tags.map((t) => el("span", { class: "tag", title: (t.source === "auto" ? "automatic: " : "") + (t.reason || "") },
        t.tag, t.source === "manual" ? el("button", { type: "button", "aria-label": "Remove tag " + t.tag, onclick: () => change({ remove: [t.tag] }) }, "×") : null, " ")),
        el("form", { onsubmit: (e) => { e.preventDefault(); const tag = input.value.trim().toLowerCase(); if (tag) change({ add: [tag] }); } }, input));
    });
    return box;
  }
  async function openConversation(id) {
    const sameConversation = current === id;
    current = id;
    const r = await api("/conversations/" + id + (translateOn ? "?translate=true" : ""));
    if (r.status !== 200) return toast((r.body.error && r.body.error.message) || "Cannot open the conversation.");
    const v = r.body;
    if (current !== id) return;
    const mine = v.handoff && v.handoff.status === "assigned" && v.handoff.assignee && v.handoff.assignee.id === $("console").dataset.agent;
    // The translate toggle exists only when the server has an LLM to translate with.
    const toggle = v.translation.available ? el("label", {}, el("input", { type: "checkbox", id: "translate", checked: translateOn,
      onchange: (e) => { translateOn = e.target.checked; openConversation(id); } }), " Translate (to " + v.translation.agentLanguage + ", replies to the customer's language)") : null;
    // Live re-renders must not lose what the agent is typing (or where the focus is).
    const drafts = sameConversation ? { reply: $("reply")?.value, note: $("note")?.value, focus: document.activeElement?.id } : {};
    $("conversation").replaceChildren(el("h2", {}, (v.customer.name || "Customer") + " · conversation " + v.conversation.id), toggle,
      summaryPanel(v.handoff), transcript(v), actions(v), mine ? replyBox(v) : null, noteBox(v));
    $("side").replaceChildren(...sidePanel(v));
    if (drafts.reply && $("reply")) $("reply").value = drafts.reply;
    if (drafts.note && $("note")) $("note").value = drafts.note;
    if (drafts.focus && $(drafts.focus)) $(drafts.focus).focus();
    for (const b of document.querySelectorAll(".list button")) b.setAttribute("aria-current", b.dataset.conversation === id ? "true" : "false");
    // Delivery statuses arrive as webhooks, not console events: re-read while a reply is still on its way.
    clearTimeout(statusTimer);
    if (v.transcript.some((m) => m.direction === "outbound" && ["queued", "sending", "accepted", "sent"].includes(m.status))) {
      statusTimer = setTimeout(() => { if (current === id) openConversation(id); }, 3000);
    }
    const log = $("conversation").querySelector(".transcript");
    if (log && log.lastElementChild) log.lastElementChild.scrollIntoView({ block: "nearest" });
  }

  $("online").addEventListener("change", async (e) => {
    const r = await post("/status", { status: e.target.checked ? "online" : "away" });
    toast(r.status === 200 ? "You are " + r.body.agent.status + "." : "Status not changed.");
    loadLists();
  });
  $("logout").addEventListener("click", async () => { await post("/logout"); location.reload(); });

  (async () => {
    const me = await api("/me");
    if (me.status !== 200) return location.reload();
    $("console").dataset.agent = me.body.agent.id;
    agents = (await api("/agents")).body.agents || [];
    await loadLists();
    // Waiting times and the waiting-too-long flag move with the clock, not only with events.
    setInterval(loadLists, 30000);
    const events = new EventSource("/agent/events");
    events.addEventListener("ready", () => { $("live").textContent = "live"; $("console").dataset.live = "true"; });
    events.onerror = () => { $("live").textContent = "reconnecting…"; };
    const onHandoff = (e) => { const d = JSON.parse(e.data); loadLists(); if (d.conversationId === current) openConversation(current); };
    for (const t of ["handoff.created", "handoff.assigned", "handoff.transferred", "handoff.resolved"]) events.addEventListener(t, onHandoff);
    events.addEventListener("message", (e) => { const d = JSON.parse(e.data); if (d.conversationId === current) openConversation(current); });
  })();
})();
`;
