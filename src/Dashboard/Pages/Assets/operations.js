// The operations page: the orchestrator's business state, read through the dashboard's /api/operations (which calls
// the gateway with the operations key; the key never reaches the browser). Uses dashboard.js's helpers (api, h, fill,
// poll, replaceRows, svg, palette, time) and, like it, renders with DOM calls only.
"use strict";

/** Seconds as the largest two units: 42s, 5m 03s, 2h 10m, 3d 4h. */
function age(seconds) {
  if (seconds === null || seconds === undefined) return "-";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + "s";
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s % 86400 / 3600)}h`;
}

const dateTime = iso => iso ? new Date(iso).toLocaleString([], { hour12: false }) : "-";
const throughputSeries = ["released", "packed", "booked", "delivered", "invoiced"];

function operationsPage() {
  const detail = document.getElementById("shipment-detail");
  const status = document.getElementById("operations-status");
  const body = id => document.querySelector(`#${id} tbody`);
  let refresh = () => {};

  /** A shipment's link: opens its timeline below, with its trace and logs one click away. */
  const shipmentLink = (id, businessKey) =>
    h("a", { href: `#shipment-${id}`, "data-shipment": id, onclick: event => { event.preventDefault(); showShipment(id); } }, businessKey || id);

  const showShipment = async id => {
    detail.hidden = false;
    fill(detail, h("h2", {}, "Shipment"), h("p", { class: "summary" }, "loading…"));
    try {
      const { shipment, timeline } = await api(`/api/operations/shipments/${encodeURIComponent(id)}`);
      const correlation = encodeURIComponent(shipment.correlationId);
      fill(detail,
        h("h2", {}, shipment.businessKey, " ", h("span", { class: "badge" }, shipment.state), " ",
          h("a", { href: `/traces?correlation=${correlation}`, "data-trace-link": "" }, "traces"), " ",
          h("a", { href: `/logs?correlation=${correlation}` }, "logs")),
        h("p", { class: "summary" }, `id ${shipment.id} · owner ${shipment.stateOwner} · correlation ${shipment.correlationId}` +
          (shipment.carrierId ? ` · carrier ${shipment.carrierId} ${shipment.trackingNumber || ""}` : "")),
        h("table", { class: "grid", id: "shipment-timeline" },
          h("thead", {}, h("tr", {}, ["Recorded", "Milestone", "Source", "Outcome", "From → to", "Detail"].map(t => h("th", {}, t)))),
          h("tbody", {}, timeline.map(e => h("tr", {},
            h("td", {}, dateTime(e.recordedAt)), h("td", {}, e.milestone), h("td", {}, e.sourceSystem),
            h("td", {}, h("span", { class: `badge ${e.outcome === "applied" ? "Ok" : e.outcome.startsWith("rejected") ? "Error" : "Warning"}` }, e.outcome)),
            h("td", {}, e.fromState ? `${e.fromState} → ${e.toState || "-"}` : "-"), h("td", { class: "message" }, e.detail || ""))))));
      detail.scrollIntoView({ block: "nearest" });
    } catch (error) {
      fill(detail, h("h2", {}, "Shipment"), h("p", { class: "error" }, error.message));
    }
  };

  /** Runs an action; the orchestrator's refusal (a problem document) is shown in the row, not in an alert. */
  const act = async (button, path, payload, note) => {
    button.disabled = true;
    try {
      await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload ?? {}) });
      note.textContent = "done";
      note.className = "note ok";
      // Emptied, so the next poll redraws the queue (it leaves a row alone while a resolution is being typed).
      button.closest("tr")?.querySelectorAll("input").forEach(input => { input.value = ""; });
    } catch (error) {
      note.textContent = error.message;
      note.className = "note error";
    } finally {
      button.disabled = false;
      refresh();
    }
  };

  const exceptionActions = exception => {
    const note = h("span", { class: "note" });
    const resolution = h("input", { type: "text", name: "resolution", placeholder: "what was done", "aria-label": "resolution" });
    const resolve = h("button", { type: "button", "data-action": "resolve", onclick: event =>
      act(event.currentTarget, `/api/operations/exceptions/${exception.id}/resolve`, { resolution: resolution.value }, note) }, "resolve");
    const retry = exception.retryableTask ? h("button", { type: "button", "data-action": "retry", onclick: event =>
      act(event.currentTarget, `/api/operations/exceptions/${exception.id}/retry`, null, note) }, "retry") : null;
    return h("td", { class: "actions" }, resolution, resolve, retry, note);
  };

  const renderStates = states => replaceRows(body("ops-states"), states.filter(s => s.shipments > 0).map(s => h("tr", { "data-state": s.state },
    h("td", {}, s.state), h("td", { class: "number" }, s.shipments.toLocaleString()),
    h("td", {}, age(s.dwellP50Seconds)), h("td", {}, age(s.dwellP90Seconds)), h("td", {}, age(s.dwellMaxSeconds)))), "no shipments yet", 5);

  const renderInFlight = shipments => replaceRows(body("ops-in-flight"), shipments.map(s => h("tr", { "data-shipment-row": s.id },
    h("td", {}, shipmentLink(s.id, s.businessKey)), h("td", {}, s.state), h("td", {}, s.stateOwner), h("td", {}, age(s.ageSeconds)),
    h("td", {}, s.dwellLimitBreached ? h("span", { class: "badge Error" }, "stuck") : ""), h("td", { class: "number" }, s.openExceptions || ""),
    h("td", {}, h("a", { href: `/traces?correlation=${encodeURIComponent(s.correlationId)}` }, "trace")))), "nothing in flight", 7);

  const renderExceptions = (owners, exceptions) => {
    const now = Date.now();
    replaceRows(body("ops-owners"), owners.map(o => h("tr", { "data-owner": o.ownerTeam },
      h("td", {}, o.ownerTeam), h("td", { class: "number" }, o.open), h("td", { class: "number" }, o.breached ? h("span", { class: "badge Error" }, o.breached) : "0"),
      h("td", {}, dateTime(o.nextDueAt)))), "no open exceptions", 4);
    // An operator typing a resolution must not lose it to the next poll.
    const tbody = body("ops-exceptions");
    if ([...tbody.querySelectorAll("input")].some(i => i.value || i === document.activeElement)) return;
    replaceRows(tbody, exceptions.map(e => h("tr", { "data-exception": e.id, class: Date.parse(e.slaDueAt) <= now ? "breached" : "" },
      h("td", {}, Date.parse(e.slaDueAt) <= now ? h("span", { class: "badge Error" }, "breached ", dateTime(e.slaDueAt)) : dateTime(e.slaDueAt)),
      h("td", {}, e.ownerTeam), h("td", {}, e.type), h("td", {}, shipmentLink(e.shipmentId, e.businessKey)), h("td", { class: "number" }, e.escalationLevel),
      h("td", { class: "message" }, e.detail), exceptionActions(e))), "no open exceptions", 7);
  };

  const renderDeadLetters = letters => replaceRows(body("ops-dead-letters"), letters.map(d => {
    const note = h("span", { class: "note" });
    return h("tr", { "data-dead-letter": d.id },
      h("td", {}, d.id), h("td", {}, dateTime(d.deadAt)), h("td", { class: "mono" }, d.routingKey),
      h("td", {}, d.correlationId ? h("a", { href: `/traces?correlation=${encodeURIComponent(d.correlationId)}` }, d.correlationId) : "-"),
      h("td", { class: "message" }, d.reason), h("td", { class: "number" }, d.attempts),
      h("td", { class: "actions" }, h("button", { type: "button", "data-action": "replay", onclick: event =>
        act(event.currentTarget, `/api/operations/dead-letters/${d.id}/replay`, null, note) }, "replay"), note));
  }), "no dead letters", 7);

  const renderRun = detail => {
    const summary = document.getElementById("ops-run");
    if (!detail) { summary.textContent = "no reconciliation run yet"; replaceRows(body("ops-findings"), [], "-", 7); return; }
    const { run, findings, findingsTotal } = detail;
    summary.textContent = `${run.trigger} run ${run.status}, started ${dateTime(run.startedAt)}` + (run.durationMs !== null ? ` · ${duration(run.durationMs)}` : "") +
      ` · ${run.shipments} shipments · ${run.findings} findings · ${run.healed} healed · ${run.exceptions} exceptions` +
      (run.unavailable.length ? ` · unavailable: ${run.unavailable.join(", ")}` : "") + (findingsTotal > findings.length ? ` · first ${findings.length} shown` : "");
    replaceRows(body("ops-findings"), findings.map(f => h("tr", { "data-finding": f.id },
      h("td", {}, shipmentLink(f.shipmentId, f.businessKey)), h("td", {}, f.partner), h("td", {}, f.subject), h("td", {}, h("span", { class: "badge Warning" }, f.drift)),
      h("td", {}, f.ours), h("td", {}, f.theirs), h("td", { title: f.actionDetail || "" }, f.action))), "no drift found", 7);
  };

  refresh = poll(async () => {
    const overview = await api("/api/operations");
    const problems = Object.entries(overview.problems || {});
    status.textContent = `read ${time(overview.readAt)} through the gateway as the operations client` +
      (problems.length ? " · could not read: " + problems.map(([section, detail]) => `${section} (${detail})`).join("; ") : "");
    status.className = problems.length ? "summary error" : "summary";
    if (overview.states) renderStates(overview.states);
    if (overview.throughput) drawThroughput(document.getElementById("ops-throughput"), overview.throughput.perMinute);
    if (overview.inFlight) renderInFlight(overview.inFlight);
    if (overview.exceptionOwners && overview.exceptions) renderExceptions(overview.exceptionOwners, overview.exceptions);
    if (overview.deadLetters) renderDeadLetters(overview.deadLetters);
    if (!problems.some(([section]) => section === "reconciliation")) renderRun(overview.reconciliation);
  }, 5000);

  if (location.hash.startsWith("#shipment-")) showShipment(location.hash.slice("#shipment-".length));
}

/** One line per business step over the minutes, zero-filled by the orchestrator; the legend gives each total. */
function drawThroughput(chart, minutes) {
  const [width, height, left, right, top, bottom] = [640, 220, 40, 10, 10, 28];
  const max = Math.max(1, ...minutes.flatMap(m => throughputSeries.map(s => m[s])));
  const x = i => left + i / Math.max(1, minutes.length - 1) * (width - left - right);
  const y = v => top + (1 - v / max) * (height - top - bottom);
  const image = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "shipments per minute by step" });
  for (let i = 0; i <= 4; i++) {
    const value = max * i / 4;
    image.append(svg("line", { class: "grid-line", x1: left, x2: width - right, y1: y(value), y2: y(value) }),
      svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" }, Number(value.toPrecision(3)).toLocaleString()));
  }
  image.append(svg("line", { class: "axis", x1: left, x2: left, y1: top, y2: height - bottom }),
    svg("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }));
  if (minutes.length) {
    image.append(svg("text", { x: left, y: height - 10 }, new Date(minutes[0].minute).toLocaleTimeString([], { hour12: false, hour: "2-digit", minute: "2-digit" })),
      svg("text", { x: width - right, y: height - 10, "text-anchor": "end" }, new Date(minutes.at(-1).minute).toLocaleTimeString([], { hour12: false, hour: "2-digit", minute: "2-digit" })));
  }
  const legend = h("div", { class: "legend" });
  throughputSeries.forEach((series, index) => {
    image.append(svg("polyline", { fill: "none", stroke: palette[index], "stroke-width": 2, "data-series": series,
      points: minutes.map((m, i) => `${x(i).toFixed(1)},${y(m[series]).toFixed(1)}`).join(" ") }));
    legend.append(h("span", { style: `--swatch:${palette[index]}`, "data-total": series }, `${series} ${minutes.reduce((sum, m) => sum + m[series], 0).toLocaleString()}`));
  });
  fill(chart, image, legend);
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.page === "operations") operationsPage();
});
