// Fixline dashboard: one ES module, no build step. Every piece of task data is untrusted text (it came
// from webhooks and from an agent), so it is only ever placed with textContent; the one exception is
// the plan's HTML, which the server rendered and sanitized.

// The states and sources are the server's (from @fixline/core), so a new state shows up here without an edit.
import { taskStates as states, taskSources as sources, streamEndStates as endStates } from "./contract.js";

const listPollMs = 2000;
const taskPollMs = 2000;
const maxOutputRows = 3000;

const app = document.getElementById("app");
let stopView = () => {};

// ---------- small DOM helpers ----------

/** h("div.cls", { attr }, child...) builds an element; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function stateBadge(state) {
  const running = state === "planning" || state === "executing";
  return h(`span.state.state-${state}${running ? ".running" : ""}`, { "data-state": state }, state.replace("_", " "));
}

function age(iso) {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d`;
}

const money = (usd) => `$${(usd ?? 0).toFixed(usd >= 10 ? 2 : 3)}`;
const tokens = (n) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n ?? 0));
const duration = (ms) => (ms == null ? "–" : ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`);
const when = (iso) => new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

// ---------- API ----------

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const response = await fetch(path, {
    credentials: "same-origin",
    ...options,
    headers: { accept: "application/json", ...(options.body ? { "content-type": "application/json" } : {}), ...(options.headers ?? {}) },
  });
  if (response.status === 401 || response.status === 503) {
    const body = await response.json().catch(() => ({}));
    throw new Unauthorized(body.message ?? "Sign in");
  }
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.message ?? `HTTP ${response.status}`);
    error.status = response.status;
    error.code = body?.code;
    throw error;
  }
  return body;
}

// ---------- session ----------

let signedInLogin;
const whoLogin = () => signedInLogin;
let signedInKind;

async function refreshWho() {
  try {
    const session = await api("/api/session");
    document.getElementById("who").hidden = false;
    signedInKind = session.kind;
    signedInLogin = session.login ? `@${session.login}` : undefined;
    document.getElementById("who-login").textContent = signedInLogin ?? "operator";
    document.querySelector('[data-nav="tokens"]').hidden = session.kind !== "github";
    return true;
  } catch (error) {
    document.getElementById("who").hidden = true;
    if (error instanceof Unauthorized) return false;
    throw error;
  }
}

document.getElementById("sign-out").addEventListener("click", async () => {
  await fetch("/api/session", { method: "DELETE", credentials: "same-origin" });
  document.getElementById("who").hidden = true;
  route();
});

function showSignIn(reason) {
  stopView();
  const error = h("div.error", { role: "alert" }, reason && reason !== "Sign in" && !reason.startsWith("Sign in with GitHub on") ? reason : "");
  const token = h("input", { type: "password", name: "token", required: true, autocomplete: "current-password", id: "signin-token" });
  const operatorForm = h(
    "form.operator",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        const response = await fetch("/api/session", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token: token.value }),
        });
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          error.textContent = body.message ?? `Sign-in failed (HTTP ${response.status})`;
          return;
        }
        route();
      },
    },
    h("label", { for: "signin-token" }, "Operator token", h("span.hint", {}, "The server's FIXLINE_API_TOKEN: cancel and retry; approving plans needs a GitHub sign-in."), token),
    h("button", { type: "submit" }, "Sign in as operator"),
  );
  const panel = h(
    "div.signin.panel",
    {},
    h("h1", {}, "Sign in to Fixline"),
    h("p", {}, "Approvals are recorded as your GitHub account and need write access to the repository."),
    h("a.button.primary", { href: "/auth/github", id: "signin-github" }, "Sign in with GitHub"),
    error,
    h("details", {}, h("summary", {}, "Operator"), operatorForm),
  );
  app.replaceChildren(panel);
}

// ---------- personal API tokens ----------

function showTokens() {
  const list = h("tbody", { id: "token-rows" });
  const created = h("div.status-line", { id: "token-created", role: "status" });
  const name = h("input", { type: "text", name: "name", required: true, id: "token-name", placeholder: "laptop CLI" });
  async function load() {
    const { tokens } = await api("/api/tokens");
    list.replaceChildren(
      ...tokens.map((t) =>
        h(
          "tr",
          { dataset: { id: t.id } },
          h("td", {}, t.name),
          h("td", {}, when(t.createdAt)),
          h("td", {}, t.lastUsedAt ? when(t.lastUsedAt) : "never"),
          h("td", {}, t.revokedAt ? `revoked ${when(t.revokedAt)}` : h("button.danger", { type: "button", onclick: async () => { await api(`/api/tokens/${t.id}`, { method: "DELETE" }); await load(); } }, "Revoke")),
        ),
      ),
    );
  }
  app.replaceChildren(
    h("p", {}, h("a", { href: "#/" }, "← All tasks")),
    h(
      "section.panel",
      {},
      h("h2", {}, "Personal API tokens"),
      h("p.muted", {}, "For the CLI (fixline login --token …) and scripts. A token acts as you; it is shown once."),
      h(
        "form",
        {
          onsubmit: async (event) => {
            event.preventDefault();
            try {
              const result = await api("/api/tokens", { method: "POST", body: JSON.stringify({ name: name.value.trim() }) });
              created.className = "status-line ok";
              created.replaceChildren("New token (copy it now, it is not shown again): ", h("code.mono", { id: "token-secret" }, result.token));
              name.value = "";
              await load();
            } catch (error) {
              if (error instanceof Unauthorized) return showSignIn(error.message);
              created.className = "status-line bad";
              created.textContent = error.message;
            }
          },
        },
        name,
        h("button.primary", { type: "submit" }, "Create token"),
      ),
      created,
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Created"), h("th", {}, "Last used"), h("th", {}, ""))), list),
    ),
  );
  load().catch((error) => (error instanceof Unauthorized ? showSignIn(error.message) : (created.textContent = error.message)));
}

// ---------- task list ----------

function readFilters() {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  return { state: params.get("state") ?? "", source: params.get("source") ?? "", repo: params.get("repo") ?? "" };
}

function showTaskList() {
  const filters = readFilters();
  const select = (name, values) =>
    h(
      "select",
      { name, "aria-label": name, onchange: applyFilters },
      h("option", { value: "" }, `All ${name}s`),
      values.map((v) => h("option", { value: v, selected: filters[name] === v }, v.replace("_", " "))),
    );
  const stateSelect = select("state", states);
  const sourceSelect = select("source", sources);
  const repoInput = h("input", { name: "repo", placeholder: "owner/repo", value: filters.repo, "aria-label": "repo", onchange: applyFilters });
  function applyFilters() {
    const params = new URLSearchParams();
    if (stateSelect.value) params.set("state", stateSelect.value);
    if (sourceSelect.value) params.set("source", sourceSelect.value);
    if (repoInput.value.trim()) params.set("repo", repoInput.value.trim());
    location.hash = `#/${params.size ? `?${params}` : ""}`;
  }

  const liveDot = h("span.live-dot");
  const liveText = h("span.muted", {}, "live");
  const tbody = h("tbody", { id: "task-rows" });
  const error = h("div.error", { role: "alert" });
  // An open circuit breaker (issue 20): an outage pauses work; say so above the list instead of letting tasks look stuck.
  const outage = h("div.waiting.outage", { role: "status", id: "outage" });
  app.replaceChildren(
    h("div.toolbar", {}, h("h1", {}, "Tasks"), stateSelect, sourceSelect, repoInput, h("span", {}, liveDot, liveText)),
    outage,
    h(
      "div.panel",
      {},
      h(
        "table.tasks",
        {},
        h(
          "colgroup",
          {},
          h("col", { width: "150" }),
          h("col"),
          h("col", { width: "90" }),
          h("col", { width: "190" }),
          h("col", { width: "80" }),
          h("col", { width: "90" }),
          h("col", { width: "80" }),
        ),
        h("thead", {}, h("tr", {}, ["State", "Task", "Source", "Repository", "PR", "Cost", "Age"].map((t) => h(`th${t === "Cost" || t === "Age" ? ".num" : ""}`, {}, t)))),
        tbody,
      ),
    ),
    error,
  );

  const query = new URLSearchParams({ limit: "100" });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);

  let timer;
  let stopped = false;
  async function tick() {
    try {
      const [{ tasks }, status] = await Promise.all([api(`/api/tasks?${query}`), api("/api/status").catch(() => ({ breakers: [] }))]);
      if (stopped) return;
      renderRows(tbody, tasks);
      outage.textContent = status.breakers
        .map((b) => `${b.provider} is unavailable (${b.code}) since ${new Date(b.since).toLocaleTimeString()}: work is paused, not failed, and resumes by itself${b.status === "probing" ? " (retrying now)" : ` (next try ${new Date(b.until).toLocaleTimeString()})`}.`)
        .join(" ");
      liveDot.classList.remove("stale");
      liveText.textContent = "live";
      error.textContent = "";
    } catch (e) {
      if (e instanceof Unauthorized) return showSignIn(e.message);
      liveDot.classList.add("stale");
      liveText.textContent = "reconnecting…";
      error.textContent = e.message;
    }
    if (!stopped) timer = setTimeout(tick, listPollMs);
  }
  tick();
  stopView = () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// Issue 21: what became of a completed task's PR, under its PR link (merged / closed / reverted).
/** Issue 21: what execution spent of what the approval granted (or the plan's estimate before approval). */
function budgetNote(budget) {
  if (!budget) return null;
  if (budget.grantedUsd === null) return budget.estimateUsd === null ? null : h("span.budget", { title: "PLAN.md's estimate; approving grants it" }, `estimate ${money(budget.estimateUsd)}`);
  const title = budget.grants.map((g) => `${g.kind === "top_up" ? "+" : ""}${money(g.amountUsd)} by ${g.login}`).join(", ");
  return h("span.budget", { title }, `budget ${money(budget.spentUsd)} of ${money(budget.grantedUsd)}`);
}

const outcomeLabels = { merged: "merged", closed_unmerged: "closed unmerged", reverted: "reverted" };
function outcomeNote(task) {
  if (!task.outcome) return null;
  const title = task.outcome === "reverted" && task.revertedBy ? `reverted by ${task.revertedBy}` : task.outcomeAt ?? "";
  return h(`div.sub.outcome.outcome-${task.outcome}`, { title }, outcomeLabels[task.outcome] ?? task.outcome);
}

function renderRows(tbody, tasks) {
  if (tasks.length === 0) {
    tbody.replaceChildren(h("tr", {}, h("td.empty", { colspan: "7" }, "No tasks yet. They appear here as soon as a signal arrives.")));
    return;
  }
  // Rows are reused by task id, so a refresh changes text in place instead of rebuilding the table.
  const existing = new Map([...tbody.querySelectorAll("tr[data-id]")].map((tr) => [tr.dataset.id, tr]));
  const rows = tasks.map((task) => {
    const tr = existing.get(task.id) ?? h("tr.task-row", { dataset: { id: task.id }, onclick: () => (location.hash = `#/tasks/${task.id}`) });
    const fingerprint = `${task.state}|${task.title}|${task.prUrl}|${task.costUsd}|${age(task.createdAt)}|${task.waitingFor ?? ""}|${task.outcome ?? ""}`;
    if (tr.dataset.fingerprint !== fingerprint) {
      tr.dataset.fingerprint = fingerprint;
      tr.replaceChildren(
        // A pool with no worker (issue 20) is said on the row, so a stuck task is not a silent one.
        h("td", { title: task.waitingFor ?? "" }, stateBadge(task.state), task.waitingFor ? h("div.sub.waiting", {}, task.waitingFor.split(":")[0]) : null),
        h("td", {}, h("a.title", { href: `#/tasks/${task.id}`, title: task.title }, task.title), h("div.sub.mono", {}, task.shortId)),
        h("td", {}, task.source),
        h("td", { title: task.repo }, task.repo),
        h("td", {}, task.prUrl ? h("a", { href: task.prUrl, target: "_blank", rel: "noopener noreferrer", onclick: (e) => e.stopPropagation() }, `#${task.prNumber ?? "PR"}`) : h("span.muted", {}, "–"), outcomeNote(task)),
        h("td.num", {}, money(task.costUsd)),
        h("td.num", { title: task.createdAt }, age(task.createdAt)),
      );
    }
    return tr;
  });
  tbody.replaceChildren(...rows);
}

// ---------- task page ----------
// showTask wires the pieces below: the layout (taskPageView), the decisions (wireTaskActions, act), the
// periodic reload (loadTask → renderTaskDetail) and the live output (openTaskStream). A `page` object holds
// what they share: the task shown, the plan SHA on screen, the stream position, whether the view is gone.

function showTask(id) {
  const view = taskPageView();
  app.replaceChildren(...view.sections);
  const page = { id, current: undefined, stopped: false, timer: undefined, source: undefined, lastEventId: undefined, streamEnded: false, sawOutput: false, busy: false, shownPlanSha: undefined };
  const load = () => loadTask(view, page, () => openTaskStream(view, page, load));
  wireTaskActions(view, page, load);
  openTaskStream(view, page, load);
  load();
  const poll = async () => {
    await load();
    if (!page.stopped) page.timer = setTimeout(poll, taskPollMs);
  };
  page.timer = setTimeout(poll, taskPollMs);
  stopView = () => {
    page.stopped = true;
    clearTimeout(page.timer);
    page.source?.close();
  };
}

function taskActionButtons() {
  const buttons = {
    approve: h("button.primary", { type: "button", dataset: { action: "approve" } }, "Approve"),
    // Issue 21: a task paused at 80% of its execution budget continues with +$5 (writers only, server-checked).
    budget: h("button.primary", { type: "button", dataset: { action: "budget" } }, "Continue with +$5"),
    reject: h("button", { type: "button", dataset: { action: "reject" } }, "Reject"),
    retry: h("button", { type: "button", dataset: { action: "retry" } }, "Retry"),
    cancel: h("button.danger", { type: "button", dataset: { action: "cancel" } }, "Cancel"),
  };
  // Disabled until the task's state is known: an Approve that looks clickable on a completed task misleads.
  for (const button of Object.values(buttons)) button.disabled = true;
  return buttons;
}

/** Every element the task page updates, and the page's top-level `sections`. */
function taskPageView() {
  const feedback = h("textarea", { id: "reject-feedback", placeholder: "Feedback for a new plan (leave empty to close the task without re-planning)" });
  const keepPlan = h("button", { type: "button" }, "Keep plan");
  const confirmReject = h("button.danger", { type: "button", dataset: { action: "confirm-reject" } }, "Reject plan");
  const view = {
    title: h("h1", {}, "Task"),
    meta: h("div.meta"),
    status: h("div.status-line", { id: "action-status", role: "status" }),
    buttons: taskActionButtons(),
    feedback,
    confirmReject,
    rejectForm: h("div.reject-form", { hidden: true }, feedback, h("div.actions", {}, keepPlan, confirmReject)),
    output: h("div.output", { id: "output", tabindex: "0", "aria-label": "Live Claude output" }, h("div.o-row.o-empty", {}, "Waiting for output…")),
    streamStatus: h("span.stream-status", { id: "stream-status" }, "connecting…"),
    planBox: h("div.plan", { id: "plan" }, h("p.muted", {}, "No plan yet.")),
    timeline: h("ol.timeline", { id: "timeline" }),
    runsBox: h("div", { id: "runs" }, h("p.muted", {}, "No agent runs yet.")),
    evidenceBox: h("div.evidence", { id: "evidence" }, h("p.muted", {}, "No red/green evidence yet.")),
    descriptionBox: h("div.description"),
    dryRunBox: h("div.dry-run", { id: "dry-run" }),
  };
  keepPlan.addEventListener("click", () => (view.rejectForm.hidden = true));
  view.dryRunPanel = h("section.panel", { id: "dry-run-panel", hidden: true }, h("h2", {}, "Dry run: would have sent"), view.dryRunBox);
  const panel = (heading, ...body) => h("section.panel", {}, h("h2", {}, heading), ...body);
  view.sections = [
    h("p", {}, h("a", { href: "#/" }, "← All tasks")),
    h("div.task-head", {}, h("div", {}, view.title, view.meta), h("div.actions", {}, Object.values(view.buttons)), view.rejectForm, view.status),
    h(
      "div.task-grid",
      {},
      h("div", {}, h("section.panel", {}, h("div.output-head", {}, h("h2", {}, "Live output"), view.streamStatus), view.output), panel("Plan", view.planBox)),
      h("div", {}, panel("Signal", view.descriptionBox), panel("Runs", view.runsBox), view.dryRunPanel, panel("Evidence", view.evidenceBox), panel("Timeline", view.timeline)),
    ),
  ];
  return view;
}

/** The decision buttons. The plan SHA on screen goes with the decision: if the plan changed meanwhile, the server refuses. */
function wireTaskActions(view, page, load) {
  const { buttons, rejectForm, feedback } = view;
  const act = (action, body) => actOnTask(view, page, load, action, body);
  buttons.approve.addEventListener("click", () => act("approve", { planSha: page.shownPlanSha }));
  buttons.budget.addEventListener("click", () => act("approve", { planSha: page.shownPlanSha, budget: "+5" }));
  buttons.reject.addEventListener("click", () => {
    rejectForm.hidden = !rejectForm.hidden;
    if (!rejectForm.hidden) feedback.focus();
  });
  view.confirmReject.addEventListener("click", () => act("reject", { planSha: page.shownPlanSha, feedback: feedback.value.trim() || undefined }));
  buttons.retry.addEventListener("click", () => act("retry", {}));
  let cancelArmed;
  buttons.cancel.addEventListener("click", () => {
    // A second click within 4 s confirms; no native dialog to block the page.
    if (!cancelArmed) {
      buttons.cancel.textContent = "Confirm";
      cancelArmed = setTimeout(() => {
        buttons.cancel.textContent = "Cancel";
        cancelArmed = undefined;
      }, 4000);
      return;
    }
    clearTimeout(cancelArmed);
    cancelArmed = undefined;
    buttons.cancel.textContent = "Cancel";
    act("cancel", {});
  });
}

async function actOnTask(view, page, load, action, body) {
  const { status } = view;
  if (!page.current) return;
  page.busy = true;
  updateTaskButtons(view, page);
  status.className = "status-line";
  status.textContent = `${action}…`;
  try {
    const result = await api(`/api/tasks/${page.current.id}/${action}`, { method: "POST", body: JSON.stringify(body) });
    status.className = "status-line ok";
    const done = { approve: "Approved", reject: "Rejected", retry: "Retried", cancel: "Cancelled" }[action];
    status.textContent = `${done} as ${whoLogin() ?? "operator"}: the task is now ${result.task.state.replace("_", " ")}.`;
    view.rejectForm.hidden = true;
    await load();
  } catch (error) {
    if (error instanceof Unauthorized) return showSignIn(error.message);
    status.className = "status-line bad";
    status.textContent = error.message;
  } finally {
    page.busy = false;
    updateTaskButtons(view, page);
  }
}

function updateTaskButtons({ buttons }, { current, busy }) {
  const state = current?.state;
  buttons.approve.disabled = busy || state !== "awaiting_approval";
  buttons.reject.disabled = busy || state !== "awaiting_approval";
  // Buttons that match the state: a decision on a plan shows only while a plan awaits one.
  buttons.approve.hidden = buttons.reject.hidden = state !== undefined && state !== "awaiting_approval";
  buttons.budget.disabled = busy || state !== "waiting_budget";
  buttons.budget.hidden = state !== "waiting_budget";
  buttons.retry.disabled = busy || state !== "failed";
  buttons.cancel.disabled = busy || !state || ["completed", "rejected", "cancelled"].includes(state);
}

async function loadTask(view, page, reopenStream) {
  try {
    const detail = await api(`/api/tasks/${encodeURIComponent(page.id)}`);
    if (page.stopped) return;
    const previous = page.current?.state;
    page.current = detail.task;
    page.shownPlanSha = detail.plan?.sha ?? undefined;
    renderTaskDetail(view, detail);
    updateTaskButtons(view, page);
    // A retried or approved task starts writing again: reopen the stream where it stopped.
    if (page.streamEnded && previous !== page.current.state && !endStates.includes(page.current.state)) reopenStream();
  } catch (error) {
    if (error instanceof Unauthorized) return showSignIn(error.message);
    if (error.status === 404) {
      app.replaceChildren(h("div.panel.empty", {}, `No task ${page.id}. `, h("a", { href: "#/" }, "Back to the list")));
      stopView();
      return;
    }
    view.status.className = "status-line bad";
    view.status.textContent = error.message;
  }
}

function renderTaskDetail(view, { task, context, events, runs, plan, evidence, data, budget }) {
  document.title = `${task.title} · Fixline`;
  view.title.textContent = task.title;
  view.meta.replaceChildren(...taskMeta(task, budget));
  const description = describeSignal(context) ?? task.title;
  if (view.descriptionBox.textContent !== description) view.descriptionBox.textContent = description;
  if (plan?.html) renderPlanBox(view.planBox, plan);
  view.timeline.replaceChildren(...events.map(renderEvent).reverse());
  renderRuns(view.runsBox, runs);
  renderEvidence(view.evidenceBox, evidence);
  renderDryRun(view, data);
}

function taskMeta(task, budget) {
  return [
    stateBadge(task.state),
    h("span.mono", {}, task.shortId),
    h("span", {}, task.repo),
    h("span", {}, `via ${task.source}`),
    task.prUrl ? h("a", { href: task.prUrl, target: "_blank", rel: "noopener noreferrer" }, `PR #${task.prNumber ?? ""}`) : null,
    // A dry-run plan is recorded with PR number 0: there is no PR to link.
    !task.prUrl && task.prNumber === 0 ? h("span.dry-run-badge", {}, "dry run: no PR") : null,
    h("span", {}, money(task.costUsd)),
    budgetNote(budget),
    outcomeNote(task),
    h("span", { title: task.createdAt }, `${age(task.createdAt)} ago`),
    task.errorCode ? h("span.error", {}, `${task.errorCode}: ${task.errorMessage ?? ""}`) : null,
    task.waitingFor ? h("span.waiting", {}, task.waitingFor) : null,
  ].filter(Boolean);
}

function renderPlanBox(planBox, plan) {
  if (planBox.dataset.sha === String(plan.sha) && planBox.dataset.len === String(plan.markdown.length)) return;
  planBox.dataset.sha = String(plan.sha);
  planBox.dataset.len = String(plan.markdown.length);
  planBox.innerHTML = plan.html; // rendered and sanitized on the server
}

function renderDryRun({ dryRunBox, dryRunPanel }, data) {
  const records = Array.isArray(data?.wouldHaveSent) ? data.wouldHaveSent : [];
  const pullRequest = data?.dryRunPullRequest;
  if (!records.length && !pullRequest) return;
  const fingerprint = JSON.stringify(data);
  if (dryRunBox.dataset.fingerprint === fingerprint) return;
  dryRunBox.dataset.fingerprint = fingerprint;
  dryRunPanel.hidden = false;
  dryRunBox.replaceChildren(
    h("p.muted", {}, "Nothing below left this machine: these are the messages, pushes and pull requests a real run would have made."),
    h(
      "ul.would-have-sent",
      {},
      records.map((r) =>
        h(
          "li",
          { dataset: { channel: String(r.channel), action: String(r.action) } },
          h("span.mono", {}, `${r.channel} ${r.action}`),
          " → ",
          h("span.mono", {}, String(r.target)),
          h("div", {}, String(r.summary)),
          r.at ? h("div.muted", { title: r.at }, `${age(r.at)} ago`) : null,
        ),
      ),
    ),
    pullRequest ? h("details", {}, h("summary", {}, `Draft PR it would have opened: ${pullRequest.title}`), h("pre", {}, String(pullRequest.body))) : null,
  );
}

function renderRuns(runsBox, runs) {
  if (!runs.length) return;
  const total = runs.reduce(
    (sum, r) => ({ cost: sum.cost + r.costUsd, input: sum.input + r.tokens.input, output: sum.output + r.tokens.output }),
    { cost: 0, input: 0, output: 0 },
  );
  runsBox.replaceChildren(
    h(
      "table.runs",
      {},
      h("thead", {}, h("tr", {}, ["Phase", "Status", "Turns", "Tokens in/out", "Cost", "Time"].map((t) => h("th", {}, t)))),
      h(
        "tbody",
        {},
        runs.map((r) =>
          h(
            "tr",
            { title: r.errorMessage ?? "" },
            h("td", {}, r.phase),
            h("td", {}, r.errorCode ?? r.status),
            h("td.num", {}, r.numTurns ?? "–"),
            h("td.num", { title: `cache read ${r.tokens.cacheRead}, cache write ${r.tokens.cacheCreation}` }, `${tokens(r.tokens.input)} / ${tokens(r.tokens.output)}`),
            h("td.num", {}, money(r.costUsd)),
            h("td.num", {}, duration(r.durationMs)),
          ),
        ),
        h("tr.total", {}, h("td", {}, "Total"), h("td"), h("td"), h("td.num", {}, `${tokens(total.input)} / ${tokens(total.output)}`), h("td.num", {}, money(total.cost)), h("td")),
      ),
    ),
  );
}

// The red/green proof as a report (issue 17): what failed before the fix and why, what passes with it, the
// fix itself, and what the harness took back. Keys the report does not know are listed last, not dropped.
const knownEvidenceKeys = new Set(["red", "green", "baseline", "environment", "fixDiff", "agentFindings", "revertedInRed", "scope", "usage", "redCommit", "greenCommit"]);

function renderEvidence(evidenceBox, evidence) {
  if (!evidence || typeof evidence !== "object" || !Object.keys(evidence).length) return;
  const fingerprint = JSON.stringify(evidence);
  if (evidenceBox.dataset.fingerprint === fingerprint) return;
  evidenceBox.dataset.fingerprint = fingerprint;
  const { red, green, baseline, environment, fixDiff } = evidence;
  const other = Object.entries(evidence).filter(([key]) => !knownEvidenceKeys.has(key));
  const sections = [
    baseline ? baselineSection(baseline) : null,
    red ? redSection(red) : null,
    green ? greenSection(green) : null,
    fixDiff ? h("div.phase", { dataset: { phase: "fix" } }, h("div.phase-title", {}, "The fix"), h("details", { open: true }, h("summary", {}, "Diff from the red commit to the green one"), h("pre.diff", {}, fixDiff))) : null,
    harnessNotesSection(evidence),
    environment ? environmentSection(environment) : null,
    other.length ? h("details", {}, h("summary", {}, "More"), h("pre", {}, JSON.stringify(Object.fromEntries(other), null, 2))) : null,
  ];
  evidenceBox.replaceChildren(...sections.filter(Boolean));
}

function baselineSection(baseline) {
  const before = baseline.preExistingFailures?.length ? `; already failing before any change: ${baseline.preExistingFailures.join(", ")}` : "";
  return h("div.phase", { dataset: { phase: "baseline" } }, h("div.phase-title", {}, "Before any change"), h("div", {}, `${baseline.passed} passed, ${baseline.failed} failed at ${String(baseline.commit ?? "").slice(0, 12)}${before}.`));
}

function redSection(red) {
  return h(
    "div.phase.red",
    { dataset: { phase: "red" } },
    h("div.phase-title", {}, "Red: the new test fails on the unfixed code"),
    h("div", {}, h("span.mono", {}, red.command), ` exited ${red.exitCode ?? "–"}${red.durationMs !== undefined ? ` in ${duration(red.durationMs)}` : ""}`),
    red.failingTests?.length ? h("ul.failing-tests", {}, red.failingTests.map((name) => h("li.mono", {}, name))) : null,
    red.outputExcerpt ? h("details", {}, h("summary", {}, "Failure output (excerpt)"), h("pre", {}, red.outputExcerpt)) : null,
  );
}

function greenSection(green) {
  return h(
    "div.phase.green",
    { dataset: { phase: "green" } },
    h("div.phase-title", {}, "Green: the whole suite passes with the fix"),
    h("div", {}, h("span.mono", {}, green.command), ` — ${green.passed} passed, ${green.failed} failed, ${green.skipped} skipped; ${green.reruns} rerun${green.reruns === 1 ? "" : "s"}; ${duration(green.durationMs)}`),
  );
}

function harnessNotesSection({ agentFindings, revertedInRed, scope }) {
  const notes = [
    ...(agentFindings ?? []).map((finding) => `Taken back before verifying: ${finding}`),
    ...(revertedInRed?.length ? [`Non-test files changed while writing the test were put back: ${revertedInRed.join(", ")}`] : []),
    ...(scope?.outside?.length ? [`Outside the plan's Affected files (${scope.policy}): ${scope.outside.join(", ")}`] : []),
  ];
  if (!notes.length) return null;
  return h("div.phase", { dataset: { phase: "notes" } }, h("div.phase-title", {}, "What the harness noticed"), h("ul", {}, notes.map((note) => h("li", {}, note))));
}

function environmentSection(environment) {
  const cache = environment.cacheHit === true ? " (dependency cache hit)" : environment.cacheHit === false ? " (dependency cache miss)" : "";
  const setup = environment.setupCommands?.length ? `setup ${environment.setupCommands.join(" && ")}${cache}` : "no setup";
  return h("p.muted", { dataset: { phase: "environment" } }, `Environment ${environment.detected?.kind ?? "?"}: ${setup}; test command `, h("span.mono", {}, environment.testCommand));
}

// ----- live output -----

function openTaskStream(view, page, load) {
  const { streamStatus, output } = view;
  page.source?.close();
  page.streamEnded = false;
  const url = `/api/tasks/${encodeURIComponent(page.current?.id ?? page.id)}/stream${page.lastEventId ? `?lastEventId=${encodeURIComponent(page.lastEventId)}` : ""}`;
  const source = new EventSource(url, { withCredentials: true });
  page.source = source;
  streamStatus.textContent = "connecting…";
  source.addEventListener("open", () => (streamStatus.textContent = "● live"));
  source.addEventListener("output", (event) => {
    page.lastEventId = event.lastEventId;
    appendOutput(output, page, JSON.parse(event.data));
  });
  source.addEventListener("state", () => load());
  source.addEventListener("end", (event) => {
    page.streamEnded = true;
    source.close();
    const { state } = JSON.parse(event.data);
    streamStatus.textContent = `ended (${state.replace("_", " ")})`;
    if (!page.sawOutput) output.replaceChildren(h("div.o-row.o-empty", {}, "No live output was kept for this task."));
    load();
  });
  source.addEventListener("error", () => {
    if (!page.streamEnded) streamStatus.textContent = "reconnecting…";
  });
}

function appendOutput(output, page, entry) {
  const nearBottom = output.scrollHeight - output.scrollTop - output.clientHeight < 48;
  if (!page.sawOutput) {
    output.replaceChildren();
    page.sawOutput = true;
  }
  for (const item of entry.items) output.append(renderItem(item, entry.phase));
  while (output.childElementCount > maxOutputRows) output.firstElementChild.remove();
  // Follow the tail unless the reader scrolled up to look at something.
  if (nearBottom) output.scrollTop = output.scrollHeight;
}

/** What the signal said, whichever source it came from. */
function describeSignal(context) {
  if (!context) return undefined;
  if (context.description) return context.description;
  if (context.sentry) return [`${context.sentry.errorType ?? "Error"}: ${context.sentry.errorValue ?? ""}`, context.sentry.culprit, context.sentry.permalink].filter(Boolean).join("\n");
  if (context.jira) return [context.jira.key, context.jira.summary, context.jira.descriptionText].filter(Boolean).join("\n");
  if (context.github) return [context.github.title, context.github.body].filter(Boolean).join("\n\n");
  if (context.slack) return context.slack.text;
  return undefined;
}

function renderEvent(event) {
  const moved = event.fromState !== event.toState;
  const showTarget = moved && event.toState && event.toState !== event.type;
  const actor = event.actor?.login ? `@${event.actor.login}${event.actor.via ? ` via ${event.actor.via}` : ""}` : event.actor?.via ?? "";
  const detail = event.data ? Object.entries(event.data).filter(([k]) => !["deliveryId"].includes(k)) : [];
  return h(
    `li${moved ? ".moved" : ""}${event.type === "command_refused" ? ".refused" : ""}`,
    { dataset: { type: event.type } },
    h(
      "div",
      {},
      h("div.what", {}, event.type.replaceAll("_", " "), showTarget ? h("span.muted", {}, ` → ${event.toState.replace("_", " ")}`) : null),
      h("div.when", {}, `${when(event.createdAt)}${actor ? ` · ${actor}` : ""}`),
      detail.length ? h("div.detail", {}, detail.map(([k, v]) => `${k}: ${typeof v === "string" ? (/sha$/i.test(k) ? v.slice(0, 7) : v) : JSON.stringify(v)}`).join(" · ")) : null,
    ),
  );
}

/** One readable output row; the server already turned stream-json into these items. */
function renderItem(item, phase) {
  switch (item.kind) {
    case "text":
      return h("div.o-row.o-text", {}, item.text);
    case "tool_use":
      return h(
        "details.o-row.o-tool",
        {},
        h("summary", {}, h("span.icon", { "aria-hidden": "true" }), h("span.name", {}, item.name), item.summary ? h("span.arg", {}, `: ${item.summary}`) : null),
        h("pre", {}, item.input),
      );
    case "tool_result": {
      const lines = item.text.split("\n");
      const first = lines[0]?.slice(0, 160) ?? "";
      const label = `${item.isError ? "✗ " : "↳ "}${first || "(no output)"}${lines.length > 1 ? `  … ${lines.length} lines` : ""}${item.truncated ? " (truncated)" : ""}`;
      if (lines.length <= 1 && first.length === item.text.length) return h(`div.o-row.o-result${item.isError ? ".err" : ""}`, {}, h("details", {}, h("summary", {}, label)));
      return h(`details.o-row.o-result${item.isError ? ".err" : ""}`, {}, h("summary", {}, label), h("pre", {}, item.text));
    }
    case "result": {
      const facts = [item.turns != null ? `${item.turns} turns` : null, item.costUsd != null ? money(item.costUsd) : null, item.durationMs != null ? duration(item.durationMs) : null].filter(Boolean).join(" · ");
      return h(`div.o-row.o-summary${item.isError ? ".err" : ""}`, {}, `${item.isError ? "✗ Run failed" : "✓ Run finished"}${facts ? ` · ${facts}` : ""}\n${item.text}`);
    }
    case "phase":
      return h("div.o-row.o-phase", {}, `── ${item.text} ──`);
    case "run_end":
      return h("div.o-row.o-run_end", {}, `── ${item.text}${phase ? ` (${phase})` : ""} ──`);
    case "log":
      return h("div.o-row.o-log", {}, `${item.phase ? `[${item.phase}] ` : ""}${item.text}`);
    case "system":
      return h("div.o-row.o-system", {}, `● ${item.text}`);
    default:
      return h("div.o-row.o-log", {}, item.text ?? "");
  }
}

// ---------- routing ----------

async function route() {
  stopView();
  stopView = () => {};
  const hash = location.hash || "#/";
  for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === "tasks");
  let signedIn;
  try {
    signedIn = await refreshWho();
  } catch (error) {
    app.replaceChildren(h("div.panel.error", {}, `Cannot reach Fixline: ${error.message}`));
    return;
  }
  if (!signedIn) return showSignIn();
  const taskMatch = /^#\/tasks\/([\w-]+)/.exec(hash);
  if (hash.startsWith("#/tokens")) showTokens();
  else if (taskMatch) showTask(taskMatch[1]);
  else showTaskList();
}

window.addEventListener("hashchange", route);
route();
