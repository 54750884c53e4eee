/**
 * The reports page's style and browser script, inlined like the console's own (console-script.ts). The script only
 * draws: it reads the per-day numbers the server embedded as JSON and hands them to uPlot (served from our own
 * origin, see console-reports.tsx). Customer texts are never in that JSON; the tables are rendered by the server.
 */

export const REPORTS_STYLE = `
.reports{max-width:1280px;margin:0 auto;padding:0 16px 32px}.reports h1{font-size:20px;margin:16px 0 4px}
.bar a{color:#fff}.range{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end;background:#fff;border-radius:8px;padding:12px;margin:12px 0}
.range label{display:flex;flex-direction:column;font-size:12px;color:#50575e;gap:2px}.range input,.range select{padding:4px}
.quick{display:flex;gap:8px;font-size:13px}.downloads{display:flex;gap:12px;flex-wrap:wrap;margin-left:auto;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin:12px 0}
.card{background:#fff;border-radius:8px;padding:12px}.card .label{font-size:12px;color:#50575e;display:block}
.card .value{font-size:24px;font-weight:600;display:block}.card .sub{font-size:12px;color:#50575e}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:12px}
.chart{background:#fff;border-radius:8px;padding:8px;min-height:260px;overflow:hidden}
.tables{display:grid;grid-template-columns:1fr 2fr;gap:12px;margin-top:12px}@media (max-width:900px){.tables{grid-template-columns:1fr}}
.tables section{background:#fff;border-radius:8px;padding:12px;overflow:auto}.tables h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #dcdcde;vertical-align:top}
td.num,th.num{text-align:right}.note{font-size:12px;color:#50575e}.forbidden{max-width:420px;margin:10vh auto;background:#fff;padding:24px;border-radius:8px}
`;

export const REPORTS_SCRIPT = `
(() => {
  "use strict";
  const source = document.getElementById("report-data");
  if (!source || typeof uPlot === "undefined") return;
  const data = JSON.parse(source.textContent);
  // Days are calendar dates of the report's zone: plot them at UTC midnight and label them in UTC.
  const xs = data.days.map((d) => Date.parse(d.date + "T00:00:00Z") / 1000);
  const tzDate = (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC");
  const pick = (f) => data.days.map((d) => { const v = f(d); return v === null || v === undefined ? null : v; });
  const pct = (v) => v === null ? "—" : (v * 100).toFixed(0) + " %";
  const dur = (s) => s === null ? "—" : s < 120 ? Math.round(s) + " s" : s < 7200 ? Math.round(s / 60) + " min" : (s / 3600).toFixed(1) + " h";
  const num = (v) => v === null ? "—" : String(Math.round(v * 100) / 100);
  const COLORS = ["#0a7c55", "#2271b1", "#dba617", "#b32d2e"];

  const DAY = 86400;
  const dayLabel = (t) => new Date(t * 1000).toISOString().slice(5, 10);

  // lines: { label, value(day), right? }; a line with right: true reads against the right axis (0-1, fmtRight).
  function chart(id, title, lines, fmt, fmtRight, yRange) {
    const el = document.getElementById(id);
    if (!el) return;
    const width = () => Math.max(280, el.clientWidth - 16);
    const axes = [
      { incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY], values: (u, ticks) => ticks.map(dayLabel) },
      { size: 60, values: (u, ticks) => ticks.map((t) => fmt(t)) },
    ];
    if (fmtRight) axes.push({ scale: "right", side: 1, size: 60, grid: { show: false }, values: (u, ticks) => ticks.map((t) => fmtRight(t)) });
    const opts = {
      title, width: width(), height: 220, tzDate, axes,
      scales: { x: { time: true }, ...(yRange ? { y: { range: yRange } } : {}), ...(fmtRight ? { right: { range: [0, 1] } } : {}) },
      series: [{ value: (u, t) => t === null ? "—" : dayLabel(t) }, ...lines.map((l, i) => ({
        label: l.label, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 6 },
        ...(l.right ? { scale: "right" } : {}), value: (u, v) => (l.right ? fmtRight : fmt)(v) }))],
    };
    const plot = new uPlot(opts, [xs, ...lines.map((l) => pick(l.value))], el);
    el.dataset.ready = "true";
    if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => plot.setSize({ width: width(), height: 220 })).observe(el);
  }

  chart("chart-volume", "Conversations and messages per day", [
    { label: "Conversations", value: (d) => d.conversations },
    { label: "Inbound", value: (d) => d.messages.inbound },
    { label: "Outbound", value: (d) => d.messages.outbound },
  ], num);
  chart("chart-containment", "Containment and handoff rate", [
    { label: "Containment", value: (d) => d.containment.rate },
    { label: "Handoff rate", value: (d) => d.handoffs.rate },
  ], pct);
  chart("chart-response", "Time to first response", [
    { label: "Bot p50", value: (d) => d.firstResponse.bot.p50Seconds },
    { label: "Bot p90", value: (d) => d.firstResponse.bot.p90Seconds },
    { label: "Human p50", value: (d) => d.firstResponse.human.p50Seconds },
    { label: "Human p90", value: (d) => d.firstResponse.human.p90Seconds },
  ], dur);
  chart("chart-csat", "CSAT", [
    { label: "Average score (1-5)", value: (d) => d.csat.average },
    { label: "Response rate", value: (d) => d.csat.responseRate, right: true },
  ], num, pct, [0, 5]);
})();
`;
