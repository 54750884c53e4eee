/**
 * The simulator's browser script, inlined into the page (no build step). It polls `<base>/api/messages` every
 * second and keeps the chat in sync with keyed updates (so focus and screen-reader announcements survive a poll),
 * and posts typed text or button/list taps to `<base>/api/send`. Content is only ever set with `textContent`:
 * messages come from customers and the AI agent and must never be interpreted as HTML.
 */
export const SIMULATOR_SCRIPT = `
(() => {
  "use strict";
  const byId = (id) => document.getElementById(id);
  const base = byId("sim").dataset.base;
  const presets = JSON.parse(byId("presets").textContent);
  const select = byId("customer"), custom = byId("custom-fields"), customName = byId("custom-name"), customNumber = byId("custom-number");
  const log = byId("log"), form = byId("composer"), input = byId("text"), errorBox = byId("error");
  const typing = byId("typing"), title = byId("chat-title");
  let rendered = new Map(), generation = 0, timer = 0, pollError = false;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function customer() {
    if (select.value === "custom") return { from: customNumber.value.trim(), name: customName.value.trim() || "Custom customer" };
    const p = presets[Number(select.value)] || presets[0];
    return { from: p.from, name: p.name };
  }
  function showError(message, fromPoll) {
    if (fromPoll === undefined || fromPoll || !pollError) errorBox.textContent = message || "";
    pollError = Boolean(fromPoll && message);
  }
  function errorText(body, status) {
    const e = body && body.error;
    if (e && Array.isArray(e.details) && e.details[0]) return e.details[0].path + ": " + e.details[0].message;
    return (e && e.message) || "Request failed (" + status + ").";
  }
  async function api(path, init) {
    const res = await fetch(base + path, Object.assign({ credentials: "same-origin", headers: { "content-type": "application/json" } }, init));
    const body = await res.json().catch(() => ({}));
    return { status: res.status, body };
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function ticks(m) {
    if (m.direction === "inbound") return m.read ? ["✓✓", "read", "read"] : ["✓✓", "", "delivered"];
    if (m.status === "failed") return ["⚠ failed" + (m.errorCode ? " (" + m.errorCode + ")" : ""), "failed", "failed"];
    if (m.status === "read") return ["✓✓", "read", "read"];
    if (m.status === "delivered") return ["✓✓", "", "delivered"];
    if (m.status === "sent") return ["✓", "", "sent"];
    return ["🕓", "", "pending"];
  }
  function updateMeta(meta, m) {
    const [mark, cls, label] = ticks(m);
    meta.textContent = "";
    meta.appendChild(el("span", "", time(m.createdAt)));
    const t = el("span", "ticks " + cls, mark);
    t.setAttribute("aria-hidden", "true");
    meta.append(t, el("span", "visually-hidden", label));
  }
  function replyButton(label, detail, reply, contextId) {
    const b = el("button", "", label);
    b.type = "button";
    if (detail) b.appendChild(el("small", "", detail));
    b.addEventListener("click", () => send({ reply, context: { id: contextId } }));
    return b;
  }
  function templateBody(li, t) {
    const lang = t.language && t.language.code ? " (" + t.language.code + ")" : "";
    li.appendChild(el("p", "label", "Template " + t.name + lang));
    const items = [];
    for (const c of t.components || []) {
      for (const p of c.parameters || []) {
        const v = p.text || p.payload || (p.currency && p.currency.fallback_value) || (p.date_time && p.date_time.fallback_value) || "[" + p.type + "]";
        items.push(c.type + (c.index !== undefined ? " " + c.index : "") + ": " + v);
      }
    }
    if (items.length) {
      const ul = el("ul");
      for (const i of items) ul.appendChild(el("li", "", i));
      li.appendChild(ul);
    }
  }
  function interactiveBody(li, m) {
    const x = m.interactive;
    if (x.header && x.header.text) li.appendChild(el("p", "header", x.header.text));
    li.appendChild(el("p", "", m.text));
    if (x.footer && x.footer.text) li.appendChild(el("p", "footer-text", x.footer.text));
    const action = x.action || {};
    if (x.type === "button") {
      const box = el("div", "actions");
      for (const b of action.buttons || []) box.appendChild(replyButton(b.reply.title, "", { type: "button_reply", id: b.reply.id, title: b.reply.title }, m.id));
      li.appendChild(box);
    } else if (x.type === "list") {
      const details = el("details", "rows");
      details.appendChild(el("summary", "", action.button || "Choose"));
      for (const s of action.sections || []) {
        if (s.title) details.appendChild(el("p", "section-title", s.title));
        for (const r of s.rows || []) {
          details.appendChild(replyButton(r.title, r.description, { type: "list_reply", id: r.id, title: r.title, description: r.description }, m.id));
        }
      }
      li.appendChild(details);
    }
  }
  function bubble(m) {
    const li = el("li", "msg " + (m.direction === "inbound" ? "in" : "out"));
    if (m.contextId) li.appendChild(el("p", "label", "↩ reply"));
    if (m.direction === "inbound") li.appendChild(el("p", "", m.text));
    else if (m.type === "template" && m.template) templateBody(li, m.template);
    else if (m.type === "interactive" && m.interactive) interactiveBody(li, m);
    else if (m.type === "text") li.appendChild(el("p", "", m.text));
    else li.appendChild(el("p", "", "[" + m.type + "]" + (m.text ? " " + m.text : "")));
    const meta = el("div", "meta");
    updateMeta(meta, m);
    li.appendChild(meta);
    return { li, meta };
  }
  function render(data) {
    const next = new Map();
    for (const m of data.timeline) {
      const key = m.direction + ":" + m.id;
      const sig = JSON.stringify(Object.assign({}, m, { status: null, read: null, errorCode: null }));
      let entry = rendered.get(key);
      if (!entry || entry.sig !== sig) {
        const fresh = Object.assign(bubble(m), { sig });
        if (entry) log.replaceChild(fresh.li, entry.li); else log.appendChild(fresh.li);
        entry = fresh;
      } else updateMeta(entry.meta, m);
      next.set(key, entry);
    }
    for (const [key, entry] of rendered) if (!next.has(key)) entry.li.remove();
    const empty = log.querySelector(".empty");
    if (data.timeline.length === 0 && !empty) log.appendChild(el("li", "empty", "No messages yet. Say hello!"));
    if (data.timeline.length > 0 && empty) empty.remove();
    const grew = next.size > rendered.size;
    rendered = next;
    typing.hidden = !data.typing;
    if (grew) log.scrollTop = log.scrollHeight;
  }
  function reset() {
    generation += 1;
    rendered = new Map();
    log.textContent = "";
    const c = customer();
    title.textContent = c.from ? "Business · chatting as " + c.name : "Business";
    poll();
  }
  async function poll() {
    clearTimeout(timer);
    const mine = generation, c = customer();
    try {
      if (c.from) {
        const r = await api("/api/messages?to=" + encodeURIComponent(c.from));
        if (mine !== generation) return;
        if (r.status === 200) { render(r.body); if (pollError) showError("", true); }
        else if (r.status === 401) showError("This page's session has expired (the server restarted?). Reload the page.", true);
        else showError(errorText(r.body, r.status), true);
      }
    } catch { showError("The server is not answering; retrying…", true); }
    if (mine === generation) timer = setTimeout(poll, 1000);
  }
  async function send(payload) {
    const c = customer();
    if (!c.from) { showError("Enter the customer's number first."); customNumber.focus(); return false; }
    try {
      const r = await api("/api/send", { method: "POST", body: JSON.stringify(Object.assign({ from: c.from, name: c.name }, payload)) });
      if (r.status !== 202) { showError(errorText(r.body, r.status)); return false; }
      showError("");
      poll();
      return true;
    } catch { showError("The server is not answering."); return false; }
  }

  select.addEventListener("change", () => { custom.hidden = select.value !== "custom"; reset(); });
  customNumber.addEventListener("change", reset);
  customName.addEventListener("change", reset);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    if (await send({ text })) input.value = "";
    input.focus();
  });
  reset();
})();
`;
