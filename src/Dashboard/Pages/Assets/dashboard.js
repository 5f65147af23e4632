// The estate dashboard's script: each page polls the JSON API and renders with DOM calls only
// (textContent, never innerHTML), so nothing a service logs can inject markup into the page.
"use strict";

const palette = ["#2f6fde", "#d9822b", "#2f9e6b", "#b54bd6", "#d64545", "#1c9aa8", "#8a6d3b", "#5b6ee1"];
const serviceColours = new Map();

function colourOf(service) {
  if (!serviceColours.has(service)) {
    serviceColours.set(service, palette[serviceColours.size % palette.length]);
  }
  return serviceColours.get(service);
}

async function api(path, options) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  if (response.status === 401) {
    location.href = "/login?returnUrl=" + encodeURIComponent(location.pathname + location.search);
    throw new Error("not logged in");
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || response.statusText);
  }
  return response.json();
}

/** h("a", { href: "/x", class: "y" }, "text", child) — children are text or nodes. */
function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "style") element.style.cssText = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replaces an element's content; null, false and empty entries are skipped (replaceChildren would print "null"). */
function fill(element, ...children) {
  element.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false && c !== ""));
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes || {})) element.setAttribute(key, value);
  for (const child of children) element.append(child instanceof Node ? child : String(child));
  return element;
}

/** Milliseconds since the epoch with the sub-millisecond digits Date drops (spans of a fast request are µs apart). */
function preciseMs(iso) {
  const fraction = /\.\d{3}(\d+)/.exec(iso);
  return Date.parse(iso) + (fraction ? Number("0." + fraction[1]) : 0);
}

/** A health text: the services' JSON report summarised as its status and the checks that are not healthy. */
function healthSummary(text) {
  if (!text) return "";
  if (text.startsWith("{")) {
    try {
      const report = JSON.parse(text);
      const failing = Object.entries(report.entries || {}).filter(([, e]) => e.status !== "Healthy").map(([name]) => name);
      const checks = Object.keys(report.entries || {}).length;
      return `${report.status} · ${checks} check${checks === 1 ? "" : "s"}` + (failing.length ? ` · failing: ${failing.join(", ")}` : "");
    } catch {
      // The engine keeps the first 200 characters of a report: its overall status still leads it.
      const status = /^\{"status":"(\w+)"/.exec(text);
      if (status) return `${status[1]} (hover for the report)`;
    }
  }
  return text.length > 80 ? text.slice(0, 80) + "…" : text;
}

const time = iso => new Date(iso).toLocaleTimeString([], { hour12: false }) + "." + String(new Date(iso).getMilliseconds()).padStart(3, "0");

function duration(ms) {
  if (ms < 1) return ms.toFixed(2) + " ms";
  if (ms < 1000) return ms.toFixed(1) + " ms";
  return (ms / 1000).toFixed(2) + " s";
}

function uptime(startedAt) {
  if (!startedAt) return "-";
  let seconds = Math.max(0, Math.floor((Date.now() - new Date(startedAt)) / 1000));
  const hours = Math.floor(seconds / 3600); seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60); seconds -= minutes * 60;
  return (hours ? hours + "h " : "") + (hours || minutes ? minutes + "m " : "") + seconds + "s";
}

/** Runs refresh now and every interval while the tab is visible; a failed refresh shows, and polling goes on. */
function poll(refresh, interval) {
  let timer;
  const run = async () => {
    clearTimeout(timer);
    try { await refresh(); } catch (error) { console.warn(error); }
    timer = setTimeout(run, document.hidden ? interval * 5 : interval);
  };
  run();
  return run;
}

/** The page's filter form: its values as a query string; a change updates the URL (shareable) and refreshes. */
function filters(onChange) {
  const form = document.querySelector("form.filters");
  const read = () => {
    const query = new URLSearchParams();
    for (const element of form.elements) {
      if (!element.name) continue;
      if (element.type === "checkbox") { if (element.checked) query.set(element.name, element.value); }
      else if (element.value) query.set(element.name, element.value);
    }
    return query;
  };
  let debounce;
  const changed = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { history.replaceState(null, "", location.pathname + "?" + read()); onChange(); }, 200);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", event => { event.preventDefault(); changed(); });
  return read;
}

function attributesTable(attributes) {
  if (!attributes || attributes.length === 0) return h("p", { class: "summary" }, "no attributes");
  return h("table", {}, h("tbody", {}, attributes.map(a => h("tr", {}, h("td", {}, a.key), h("td", {}, a.value)))));
}

function replaceRows(tbody, rows, emptyText, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: columns, class: "empty" }, emptyText))]));
}

// ---------------------------------------------------------------- status line
async function refreshStatus() {
  const status = document.getElementById("telemetry-status");
  if (!status) return;
  const { held } = await api("/api/telemetry");
  const dropped = held.droppedLogEntries + held.droppedSpans + held.droppedMetricPoints + held.droppedMetricSeries;
  status.textContent = `${held.logEntries.toLocaleString()} logs · ${held.spans.toLocaleString()} spans · ${held.metricSeries.toLocaleString()} series` +
    (dropped ? ` · dropped: ${held.droppedLogEntries} logs, ${held.droppedSpans} spans, ${held.droppedMetricPoints} points, ${held.droppedMetricSeries} series` : " · nothing dropped");
  status.title = `limits: ${held.limits.maxLogEntries} logs, ${held.limits.maxSpans} spans, ${held.limits.maxPointsPerSeries} points per series, ${held.limits.maxMetricSeries} series; oldest dropped first`;
}

// ---------------------------------------------------------------- resources
function resourcesPage() {
  const tbody = document.querySelector("#resources tbody");
  const detail = document.getElementById("resource-detail");
  const command = async (name, verb, button) => {
    button.disabled = true;
    try { await api(`/api/resources/${encodeURIComponent(name)}/commands/${verb}`, { method: "POST" }); }
    catch (error) { alert(`${verb} ${name}: ${error.message}`); }
    finally { button.disabled = false; refresh(); }
  };

  const showDetail = async name => {
    detail.hidden = false;
    fill(detail, h("h2", {}, name), h("p", { class: "summary" }, "loading…"));
    try {
      const launch = await api(`/api/resources/${encodeURIComponent(name)}/environment`);
      fill(detail,
        h("h2", {}, name, " ", h("a", { href: `/console?resource=${encodeURIComponent(name)}` }, "console"), " ",
          h("a", { href: `/logs?resource=${encodeURIComponent(name)}` }, "structured logs"), " ",
          h("a", { href: `/traces?resource=${encodeURIComponent(name)}` }, "traces")),
        h("p", {}, h("code", {}, launch.command)),
        h("table", { class: "environment" }, h("tbody", {}, Object.entries(launch.environment).map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v))))));
    } catch (error) {
      fill(detail, h("h2", {}, name), h("p", { class: "summary" }, error.message));
    }
  };

  const refresh = poll(async () => {
    const resources = await api("/api/resources");
    replaceRows(tbody, resources.map(resource => h("tr", { "data-resource": resource.name, onclick: () => showDetail(resource.name) },
      h("td", {}, h("strong", {}, resource.name)),
      h("td", {}, resource.type),
      h("td", {}, h("span", { class: `badge ${resource.state}`, "data-state": resource.state }, resource.state)),
      h("td", { title: resource.replicas.map(r => r.health).filter(Boolean).join("\n") }, [...new Set(resource.replicas.map(r => healthSummary(r.health)).filter(Boolean))].join(" | ") || "-"),
      h("td", {}, h("ul", { class: "replicas" }, resource.replicas.map(r =>
        h("li", {}, `#${r.replica} `, h("span", { class: `badge ${r.state}` }, r.state), ` pid ${r.pid ?? "-"} · ${r.restarts} restarts · up ${r.pid ? uptime(r.startedAt) : "-"}`)))),
      h("td", { class: "endpoints" }, Object.values(resource.endpoints).map(url =>
        url.startsWith("http") ? h("a", { href: url, target: "_blank", rel: "noopener" }, url) : h("span", { class: "mono" }, url))),
      h("td", { class: "commands", onclick: event => event.stopPropagation() },
        ["start", "stop", "restart"].map(verb => h("button", { type: "button", "data-command": verb, onclick: event => command(resource.name, verb, event.currentTarget) }, verb))))),
    "no resources", 7);
  }, 2000);

  if (location.hash.length > 1) showDetail(decodeURIComponent(location.hash.slice(1)));
}

// ---------------------------------------------------------------- console logs
function consolePage() {
  const output = document.getElementById("console");
  const follow = document.getElementById("follow");
  let lines = [];
  let after = 0;
  let resource = document.getElementById("filter-resource").value;

  const render = () => {
    const search = document.getElementById("filter-search").value.toLowerCase();
    const shown = (search ? lines.filter(l => l.text.toLowerCase().includes(search)) : lines).slice(-2000);
    output.replaceChildren(...shown.map(l => h("span", { class: l.isError ? "stderr" : null },
      h("span", { class: "source" }, `${time(l.timestamp)} [${l.resource}-${l.replica}] `), l.text, "\n")));
    if (follow.checked) output.scrollTop = output.scrollHeight;
  };

  const refresh = poll(async () => {
    const fresh = await api(`/api/resources/${encodeURIComponent(resource)}/logs?tail=5000${after ? "&after=" + after : ""}`);
    if (fresh.length) {
      after = fresh[fresh.length - 1].sequence;
      lines = lines.concat(fresh).slice(-5000);
    }
    render();
  }, 1000);

  filters(() => {
    const chosen = document.getElementById("filter-resource").value;
    if (chosen !== resource) { resource = chosen; lines = []; after = 0; refresh(); } else render();
  });
}

// ---------------------------------------------------------------- structured logs
function logsPage() {
  const tbody = document.querySelector("#logs tbody");
  const detail = document.getElementById("log-detail");
  let refresh = () => {};
  const query = filters(() => refresh());

  const showDetail = log => {
    detail.hidden = false;
    fill(detail,
      h("h2", {}, `${log.severity} · ${log.category}`),
      h("p", { class: "mono" }, log.message),
      log.traceId ? h("p", {}, h("a", { href: `/traces/${log.traceId}` }, `trace ${log.traceId}`), log.spanId ? ` span ${log.spanId}` : "") : null,
      attributesTable(log.attributes));
  };

  refresh = poll(async () => {
    const logs = await api(`/api/telemetry/logs?limit=200&${query()}`);
    replaceRows(tbody, logs.map(log => h("tr", { onclick: () => showDetail(log) },
      h("td", { class: "mono" }, time(log.timestamp)),
      h("td", {}, log.resourceId),
      h("td", {}, h("span", { class: `badge ${log.severity}` }, log.severity)),
      h("td", { class: "message" }, log.message),
      h("td", {}, log.traceId ? h("a", { href: `/traces/${log.traceId}`, onclick: event => event.stopPropagation() }, log.traceId.slice(0, 8)) : ""))),
    "no log entries match (telemetry arrives about a second after it is written)", 5);
  }, 2000);
}

// ---------------------------------------------------------------- traces
function tracesPage() {
  const tbody = document.querySelector("#traces tbody");
  let refresh = () => {};
  const query = filters(() => refresh());
  refresh = poll(async () => {
    const traces = await api(`/api/telemetry/traces?limit=100&${query()}`);
    replaceRows(tbody, traces.map(trace => h("tr", { onclick: () => { location.href = `/traces/${trace.traceId}`; } },
      h("td", { class: "mono" }, time(trace.start)),
      h("td", {}, h("a", { href: `/traces/${trace.traceId}` }, trace.name)),
      h("td", {}, duration(trace.durationMs)),
      h("td", {}, trace.spanCount),
      h("td", {}, trace.errorCount ? h("span", { class: "badge Error" }, trace.errorCount) : "0"),
      h("td", {}, trace.services.map(s => h("span", { class: "badge", style: `background:${colourOf(s)};color:#fff;margin-right:.2rem` }, s))),
      h("td", { class: "mono" }, trace.correlationIds.join(", ")))),
    "no traces match (make a request through the gateway: it shows here within a second or two)", 7);
  }, 3000);
}

// ---------------------------------------------------------------- one trace: waterfall
function tracePage() {
  const container = document.getElementById("waterfall");
  const detail = document.getElementById("span-detail");
  const traceId = container.dataset.traceId;

  const showDetail = (span, traceStart, row) => {
    container.querySelectorAll(".span-row.selected").forEach(r => r.classList.remove("selected"));
    row.classList.add("selected");
    detail.hidden = false;
    fill(detail,
      h("h2", {}, `${span.serviceName} · ${span.name}`),
      h("p", { class: "summary" }, `${span.kind} · ${duration(span.durationMs)} · starts at +${duration(preciseMs(span.start) - traceStart)} · status ${span.status}`,
        span.statusMessage ? ` (${span.statusMessage})` : "", ` · span ${span.spanId} · ${span.resourceId} · ${span.scope}`),
      h("p", {}, h("a", { href: `/logs?traceId=${span.traceId}` }, "logs of this trace")),
      attributesTable(span.attributes),
      span.events.length ? h("h2", { style: "margin-top:.8rem" }, "Events") : null,
      span.events.map(e => h("div", { class: "event" },
        h("p", { class: "mono" }, `+${duration(preciseMs(e.timestamp) - traceStart)} ${e.name}`), attributesTable(e.attributes))));
  };

  const render = trace => {
    const spans = trace.spans;
    const traceStart = preciseMs(trace.summary.start);
    const total = Math.max(trace.summary.durationMs, 0.001);
    const children = new Map();
    const ids = new Set(spans.map(s => s.spanId));
    for (const span of spans) {
      const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : "";
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(span);
    }
    const rows = [];
    const visit = (span, depth) => {
      const offset = (preciseMs(span.start) - traceStart) / total * 100;
      const width = Math.max(span.durationMs / total * 100, 0.2);
      const colour = colourOf(span.serviceName);
      const row = h("div", { class: "span-row", "data-span-id": span.spanId },
        h("div", { class: "span-label", style: `padding-left:${0.5 + depth * 1.1}rem`, title: `${span.serviceName} ${span.name}` },
          h("span", { class: "service", style: `background:${colour}` }, span.serviceName), span.name),
        h("div", { class: "span-track" },
          h("div", { class: `span-bar${span.status === "Error" ? " error" : ""}`, style: `left:${offset}%;width:${width}%;background:${colour}` }),
          span.events.map(e => h("div", { class: "span-event", title: e.name, style: `left:${(preciseMs(e.timestamp) - traceStart) / total * 100}%` })),
          h("span", { class: "span-duration", style: offset + width > 80 ? `right:${100 - offset + 0.5}%` : `left:${offset + width + 0.5}%` }, duration(span.durationMs))));
      row.addEventListener("click", () => showDetail(span, traceStart, row));
      rows.push(row);
      for (const child of (children.get(span.spanId) || []).sort((a, b) => preciseMs(a.start) - preciseMs(b.start))) visit(child, depth + 1);
    };
    for (const root of (children.get("") || []).sort((a, b) => preciseMs(a.start) - preciseMs(b.start))) visit(root, 0);
    fill(container, ...rows);
    const s = trace.summary;
    document.getElementById("trace-summary").textContent =
      `${s.name} · ${duration(s.durationMs)} · ${s.spanCount} spans · ${s.errorCount} errors · ${s.services.join(", ")}` +
      (s.correlationIds.length ? ` · correlation ${s.correlationIds.join(", ")}` : "");
  };

  // Spans of one trace arrive from several services within a second or two: refresh a few times.
  let refreshes = 0;
  const load = async () => {
    try { render(await api(`/api/telemetry/traces/${traceId}`)); }
    catch (error) { fill(container, h("p", { class: "empty" }, error.message)); }
    if (++refreshes < 4) setTimeout(load, 2000);
  };
  load();
}

// ---------------------------------------------------------------- metrics
function metricsPage() {
  const instrumentSelect = document.getElementById("filter-instrument");
  const chart = document.getElementById("chart");
  let loadedFor = null;

  const loadInstruments = async resource => {
    const instruments = resource ? await api(`/api/telemetry/metrics?resource=${encodeURIComponent(resource)}`) : [];
    const wanted = instrumentSelect.value || instrumentSelect.dataset.selected;
    instrumentSelect.replaceChildren(...instruments.map(i => h("option", { value: i.name, selected: i.name === wanted }, `${i.name} (${i.kind})`)));
    instrumentSelect.instruments = instruments;
    loadedFor = resource;
  };

  const draw = (instrument, series) => {
    const width = 900, height = 320, left = 70, right = 20, top = 15, bottom = 35;
    const points = series.flatMap(s => s.points);
    if (!points.length) { fill(chart, h("p", { class: "empty" }, "no points yet")); return; }
    const times = points.map(p => new Date(p.timestamp).getTime());
    const values = points.map(p => p.value);
    const [t0, t1] = [Math.min(...times), Math.max(...times, Math.min(...times) + 1000)];
    let [v0, v1] = [Math.min(0, ...values), Math.max(...values)];
    if (v1 === v0) v1 = v0 + 1;
    const x = t => left + (t - t0) / (t1 - t0) * (width - left - right);
    const y = v => top + (1 - (v - v0) / (v1 - v0)) * (height - top - bottom);
    const image = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${instrument.name} over time` });
    for (let i = 0; i <= 4; i++) {
      const value = v0 + (v1 - v0) * i / 4;
      image.append(svg("line", { class: "grid-line", x1: left, x2: width - right, y1: y(value), y2: y(value) }),
        svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" }, Number(value.toPrecision(4)).toLocaleString()));
    }
    image.append(svg("line", { class: "axis", x1: left, x2: left, y1: top, y2: height - bottom }),
      svg("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }),
      svg("text", { x: left, y: height - 12 }, new Date(t0).toLocaleTimeString([], { hour12: false })),
      svg("text", { x: width - right, y: height - 12, "text-anchor": "end" }, new Date(t1).toLocaleTimeString([], { hour12: false })));
    const legend = h("div", { class: "legend" });
    series.slice(0, palette.length).forEach((s, index) => {
      const colour = palette[index];
      image.append(svg("polyline", { fill: "none", stroke: colour, "stroke-width": 2, "data-series": index,
        points: s.points.map(p => `${x(new Date(p.timestamp).getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ") }));
      legend.append(h("span", { style: `--swatch:${colour}` }, s.attributes.map(a => `${a.key}=${a.value}`).join(", ") || "(no attributes)",
        ` · last ${Number(s.points.at(-1)?.value.toPrecision(6)).toLocaleString()}`));
    });
    fill(chart, image, legend, series.length > palette.length ? h("p", { class: "summary" }, `${series.length - palette.length} more series not drawn`) : "");
  };

  let refresh = () => {};
  filters(() => refresh());
  refresh = poll(async () => {
    const resource = document.getElementById("filter-resource").value;
    if (resource !== loadedFor || !instrumentSelect.options.length) await loadInstruments(resource);
    const name = instrumentSelect.value;
    const instrument = (instrumentSelect.instruments || []).find(i => i.name === name);
    if (!instrument) { fill(chart, h("p", { class: "empty" }, "pick a resource and an instrument")); return; }
    document.getElementById("instrument-description").textContent =
      `${instrument.description || instrument.name} · ${instrument.kind}${instrument.unit ? " · unit " + instrument.unit : ""}` +
      (instrument.kind === "histogram" ? " · the mean of each interval's recordings" : instrument.kind === "counter" ? " · total since the process started" : "");
    draw(instrument, await api(`/api/telemetry/metrics/${encodeURIComponent(resource)}/${encodeURIComponent(name)}`));
  }, 2000);
}

const pages = { resources: resourcesPage, console: consolePage, logs: logsPage, traces: tracesPage, trace: tracePage, metrics: metricsPage };
document.addEventListener("DOMContentLoaded", () => {
  const page = pages[document.body.dataset.page];
  if (page) page();
  if (document.getElementById("telemetry-status")) poll(refreshStatus, 5000);
});
