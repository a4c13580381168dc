import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import { loadConfig, secretVariables, settingVariables } from "@fixline/core";
import { lookUpSeries } from "./metric-catalog";
import { promqlReferences } from "./promql-references";

// The operations files are only useful if they agree with the code: a dashboard panel on a misspelt metric
// stays empty without an error, and an env var the config does not read is silently ignored. This suite
// checks every query, variable, probe, port and command in infrastructure/ against the source.

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const infra = (...parts: string[]) => join(repoRoot, "infrastructure", ...parts);
const readText = (path: string) => readFileSync(path, "utf8");
type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The variables load-config.ts's zod schema reads as Fixline's own settings, taken from the schema itself so nothing can be forgotten. */
const schema = new Set<string>(settingVariables);
const fileVariables = new Set(secretVariables.map((name) => `${name}_FILE`));

const mcpTemplate = JSON.parse(readText(infra("docker/mcp.json"))) as unknown;
const mcpVariables = new Set([...JSON.stringify(mcpTemplate).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? ""));

/** `.env.example`: documented variables (`# NAME=` lines), split at the compose-only section. */
function envExample(): { fixline: string[]; composeOnly: string[] } {
  const text = readText(infra("docker/.env.example"));
  const split = text.indexOf("docker compose only");
  expect(split, ".env.example has a 'docker compose only' section").toBeGreaterThan(0);
  const names = (part: string) => [...part.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? "");
  return { fixline: names(text.slice(0, split)), composeOnly: names(text.slice(split)) };
}

/** Problems with one PromQL expression: syntax, unknown ai_agent_ metrics, labels the metric does not have. */
function queryProblems(expression: string, allowedOtherMetrics: readonly string[] = []): string[] {
  const refs = promqlReferences(expression);
  const problems = refs.syntaxErrors.map((error) => `syntax error ${error}`);
  let fixlineMetrics = 0;
  for (const selector of refs.selectors) {
    const name = selector.metric;
    if (!name) {
      problems.push("selector without a metric name");
      continue;
    }
    if (!name.startsWith("ai_agent_")) {
      if (!allowedOtherMetrics.includes(name)) problems.push(`${name} is not a Fixline metric`);
      continue;
    }
    fixlineMetrics += 1;
    const series = lookUpSeries(name);
    if (!series) {
      problems.push(`${name} is not defined in metrics.ts`);
      continue;
    }
    for (const label of selector.matchedLabels) {
      if (!series.labels.has(label)) problems.push(`${name} has no label "${label}" (it has: ${[...series.labels].join(", ")})`);
    }
  }
  for (const grouping of refs.groupings) {
    const series = grouping.metrics.filter((name) => name.startsWith("ai_agent_")).map(lookUpSeries);
    if (series.length === 0) continue;
    const available = new Set(series.flatMap((s) => (s ? [...s.labels] : [])));
    for (const label of grouping.labels) {
      if (!available.has(label)) problems.push(`grouping label "${label}" is not a label of ${grouping.metrics.join(", ")}`);
    }
  }
  if (fixlineMetrics === 0 && allowedOtherMetrics.length === 0) problems.push("uses no ai_agent_ metric");
  return problems;
}

describe("PromQL cross-check (the checker itself)", () => {
  it("rejects unknown metrics, wrong labels, bad grouping and syntax errors; accepts histogram series", () => {
    expect(queryProblems("sum(rate(ai_agent_tasks_started_total[5m]))")).toEqual([]);
    expect(queryProblems("histogram_quantile(0.9, sum by (le, phase) (rate(ai_agent_phase_duration_seconds_bucket[5m])))")).toEqual([]);
    expect(queryProblems("sum(ai_agent_phase_duration_seconds_count{phase=\"red\", instance=\"x\"})")).toEqual([]);
    expect(queryProblems("sum(rate(ai_agent_task_started_total[5m]))")).toEqual(["ai_agent_task_started_total is not defined in metrics.ts"]);
    expect(queryProblems("ai_agent_errors_total{kind=\"x\"}")[0]).toMatch(/has no label "kind"/);
    expect(queryProblems("sum by (queue) (ai_agent_errors_total)")[0]).toMatch(/grouping label "queue"/);
    expect(queryProblems("ai_agent_errors_total_bucket")[0]).toMatch(/not defined/);
    expect(queryProblems("sum by (le) (ai_agent_errors_total)")[0]).toMatch(/grouping label "le"/);
    expect(queryProblems("sum(rate(ai_agent_errors_total[5m])")[0]).toMatch(/syntax error/);
  });
});

describe("Grafana dashboard", () => {
  const dashboard = JSON.parse(readText(infra("grafana/dashboards/fixline.json"))) as Json;
  const panels = asArray(dashboard.panels).map(asObject).filter((panel) => panel.type !== "row");
  const targets = panels.flatMap((panel) =>
    asArray(panel.targets).map((target) => ({ panel: String(panel.title), ...(asObject(target) as { expr?: string; legendFormat?: string }) })),
  );

  it("has panels, each with at least one query", () => {
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of panels) expect(asArray(panel.targets).length, String(panel.title)).toBeGreaterThan(0);
  });

  it("queries only metrics and labels defined in metrics.ts, in valid PromQL", () => {
    const problems = targets.flatMap((target) => queryProblems(target.expr ?? "").map((problem) => `${target.panel}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it("names only labels in legends that the query keeps", () => {
    const problems: string[] = [];
    for (const target of targets) {
      const kept = new Set(["job", "instance", ...promqlReferences(target.expr ?? "").groupings.flatMap((g) => g.labels)]);
      for (const match of (target.legendFormat ?? "").matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        if (!kept.has(match[1] ?? "")) problems.push(`${target.panel}: legend {{${match[1]}}}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("covers outcomes, phases, approvals, queues, cost, tokens, webhooks, errors and executors", () => {
    const used = new Set(targets.flatMap((target) => promqlReferences(target.expr ?? "").selectors.map((s) => lookUpSeries(s.metric ?? "")?.definedAs)));
    for (const metric of [
      "ai_agent_tasks_completed_total",
      "ai_agent_phase_duration_seconds",
      "ai_agent_approval_wait_seconds",
      "ai_agent_queue_length",
      "ai_agent_cost_usd_total",
      "ai_agent_tokens_total",
      "ai_agent_webhook_deliveries_total",
      "ai_agent_webhook_ingest_seconds",
      "ai_agent_errors_total",
      "ai_agent_executors_busy",
      "ai_agent_tasks_merged_total",
      "ai_agent_tasks_reverted_total",
      "ai_agent_tasks_closed_unmerged_total",
      "ai_agent_ready_to_merge_seconds",
    ]) {
      expect(used.has(metric), metric).toBe(true);
    }
  });

  it("is provisioned from the folder docker-compose mounts, against the provisioned Prometheus", () => {
    const compose = parseYaml(readText(infra("docker/docker-compose.yml"))) as Json;
    const grafana = asObject(asObject(compose.services).grafana);
    const mounts = asArray(grafana.volumes).map(String);
    const provider = asObject(asArray(asObject(parseYaml(readText(infra("grafana/provisioning/dashboards/fixline.yml")))).providers)[0]);
    const dashboardsPath = String(asObject(provider.options).path);
    expect(mounts).toContain(`../grafana/dashboards:${dashboardsPath}:ro`);
    const datasource = asObject(asArray(asObject(parseYaml(readText(infra("grafana/provisioning/datasources/prometheus.yml")))).datasources)[0]);
    expect(datasource.type).toBe("prometheus");
    expect(String(datasource.url)).toMatch(/^http:\/\/prometheus:9090/);
    expect(asObject(compose.services).prometheus).toBeDefined();
  });
});

describe("Prometheus", () => {
  const config = loadConfig({});
  const prometheus = asObject(parseYaml(readText(infra("grafana/prometheus/prometheus.yml"))));
  const rules = asArray(asObject(parseYaml(readText(infra("grafana/prometheus/alerts.yml")))).groups).flatMap((group) => asArray(asObject(group).rules).map(asObject));

  it("scrapes the webhook server and the workers on their default ports", () => {
    const scrape = JSON.stringify(prometheus.scrape_configs);
    expect(scrape).toContain(`"webhook-server:${config.port}"`);
    expect(scrape).toContain(`"port":${config.metricsPort}`);
    expect(config.port).toBe(3000);
    expect(config.metricsPort).toBe(9464);
  });

  it("loads the alert file docker-compose mounts", () => {
    const compose = asObject(parseYaml(readText(infra("docker/docker-compose.yml"))));
    const mounts = asArray(asObject(asObject(compose.services).prometheus).volumes).map(String);
    for (const file of asArray(prometheus.rule_files).map(String)) {
      expect(mounts.some((mount) => mount.endsWith(`:${file}:ro`)), file).toBe(true);
    }
  });

  it("has alert rules whose expressions use only defined metrics and labels", () => {
    expect(rules.length).toBeGreaterThanOrEqual(6);
    const problems = rules.flatMap((rule) => queryProblems(String(rule.expr), rule.alert === "FixlineWorkerDown" ? ["up"] : []).map((p) => `${String(rule.alert)}: ${p}`));
    expect(problems).toEqual([]);
    for (const rule of rules) {
      expect(asObject(rule.labels).severity, String(rule.alert)).toMatch(/^(warning|critical)$/);
      expect(String(asObject(rule.annotations).summary), String(rule.alert)).not.toBe("undefined");
    }
  });

  it("alerts on backlog, failure rate, daily cost, webhook 5xx, slow acks and down workers", () => {
    const exprOf = (name: string) => String(rules.find((rule) => rule.alert === name)?.expr ?? "");
    expect(exprOf("FixlineBacklogGrowing")).toMatch(/ai_agent_queue_length\{state=~"waiting\|prioritized"\}/);
    expect(exprOf("FixlineTaskFailureRateHigh")).toMatch(/ai_agent_tasks_completed_total\{status="failed"\}/);
    expect(exprOf("FixlineDailyCostOverBudget")).toMatch(/increase\(ai_agent_cost_usd_total\[24h\]\)/);
    expect(exprOf("FixlineWebhookErrors")).toContain('outcome=~"error|unavailable"');
    expect(exprOf("FixlineWebhookSlowAck")).toMatch(/histogram_quantile\(0\.99,.*ai_agent_webhook_ingest_seconds_bucket.*> 0\.5$/s);
    expect(exprOf("FixlineWorkerDown")).toMatch(/^up\{.*\} == 0$/);
    expect(exprOf("FixlineRevertRateHigh")).toMatch(/sum by \(repository\) \(increase\(ai_agent_tasks_reverted_total\[7d\]\)\)/);
  });
});

describe("environment variables", () => {
  const documented = envExample();

  it("documents every variable load-config.ts reads in .env.example, and nothing it does not", () => {
    expect(schema.size).toBeGreaterThan(40);
    expect([...schema].filter((name) => !documented.fixline.includes(name))).toEqual([]);
    expect(documented.fixline.filter((name) => !schema.has(name) && !mcpVariables.has(name))).toEqual([]);
    expect(documented.fixline.includes("ANTHROPIC_API_KEY") && documented.fixline.includes("CLAUDE_CODE_OAUTH_TOKEN")).toBe(true);
  });

  it("documents every MCP template variable, and the template never asks for the worker's secrets", () => {
    expect([...mcpVariables].filter((name) => !documented.fixline.includes(name))).toEqual([]);
    for (const forbidden of ["GITHUB_TOKEN", "GITHUB_APP_PRIVATE_KEY", "SLACK_BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "FIXLINE_API_TOKEN"]) {
      expect(mcpVariables.has(forbidden), forbidden).toBe(false);
    }
    expect(mcpVariables.has("GITHUB_MCP_TOKEN")).toBe(true);
  });

  it("has an MCP template in the shape the runner reads", () => {
    const servers = asObject(asObject(mcpTemplate).mcpServers);
    expect(Object.keys(servers).sort()).toEqual(["atlassian", "github", "sentry"]);
    for (const [name, value] of Object.entries(servers)) {
      const server = asObject(value);
      if (server.type === "http" || server.type === "sse") expect(String(server.url), name).toMatch(/^https:\/\//);
      else {
        expect(server.type, name).toBe("stdio");
        expect(typeof server.command, name).toBe("string");
        expect(Array.isArray(server.args), name).toBe(true);
      }
    }
  });

  it("loads cleanly from .env.example as shipped (every variable commented out or empty)", () => {
    const env: Record<string, string> = {};
    for (const match of readText(infra("docker/.env.example")).matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)) env[match[1] ?? ""] = match[2] ?? "";
    expect(() => loadConfig(env)).not.toThrow();
  });
});

const roles = ["webhook", "planner", "executor", "all"];
const rootScripts = asObject(asObject(JSON.parse(readText(join(repoRoot, "package.json")))).scripts);

/** `pnpm fixline start --role X` must run the root `fixline` script with a role the CLI knows. */
function commandProblems(command: unknown[]): string[] {
  const [pnpm, script, ...args] = command.map(String);
  if (pnpm !== "pnpm" || !script || typeof rootScripts[script] !== "string") return [`${command.join(" ")}: not a root package.json script`];
  if (args[0] === "start") {
    const role = args[args.indexOf("--role") + 1];
    if (args.indexOf("--role") < 0 || !role || !roles.includes(role)) return [`${command.join(" ")}: role must be one of ${roles.join("|")}`];
  } else if (args[0] !== "migrate") return [`${command.join(" ")}: unexpected command`];
  return [];
}

describe("listen address", () => {
  it("compose and Kubernetes set HOST explicitly (the default is loopback, for make start)", () => {
    const compose = asObject(parseYaml(readText(infra("docker/docker-compose.yml")), { merge: true }));
    for (const name of ["webhook-server", "planner", "executor"]) {
      expect(asObject(asObject(asObject(compose.services)[name]).environment).HOST, name).toBe("0.0.0.0");
    }
    const configMap = parseAllDocuments(readText(infra("kubernetes/configmap.yaml"))).map((d) => asObject(d.toJSON())).find((d) => asObject(d.metadata).name === "fixline-env");
    expect(asObject(configMap?.data).HOST).toBe("0.0.0.0");
  });
});

describe("docker", () => {
  const composePath = infra("docker/docker-compose.yml");
  const compose = asObject(parseYaml(readText(composePath), { merge: true }));
  const services = asObject(compose.services);
  const fixlineServices = Object.entries(services).filter(([, service]) => asObject(service).build !== undefined);
  const dockerfile = readText(infra("docker/Dockerfile"));

  it("runs Redis with AOF and noeviction, Postgres 16, two executors, Prometheus and Grafana", () => {
    const redisCommand = asArray(asObject(services.redis).command).map(String).join(" ");
    expect(redisCommand).toContain("--appendonly yes");
    expect(redisCommand).toContain("--maxmemory-policy noeviction");
    expect(String(asObject(services.postgres).image)).toMatch(/^postgres:16/);
    expect(asObject(asObject(services.executor).deploy).replicas).toBe(2);
    expect(asObject(services.prometheus).image).toBeDefined();
    expect(asObject(services.grafana).image).toBeDefined();
    expect(asArray(asObject(services["webhook-server"]).ports).map(String)).toContain("${FIXLINE_HTTP_PORT:-3000}:3000");
    for (const name of ["redis", "postgres", "webhook-server", "planner", "executor", "prometheus", "grafana"]) {
      expect(asObject(services[name]).healthcheck, `${name} healthcheck`).toBeDefined();
    }
  });

  it("starts every Fixline service with a real CLI command and the .env file", () => {
    expect(fixlineServices.map(([name]) => name).sort()).toEqual(["executor", "executor-python", "migrate", "planner", "webhook-server"]);
    for (const [name, service] of fixlineServices) {
      expect(commandProblems(asArray(asObject(service).command)), name).toEqual([]);
      expect(JSON.stringify(asObject(service).env_file), name).toContain('".env"');
    }
  });

  it("runs one executor service per pool, each taking its pool's queue on its toolchain image (issue 20)", () => {
    const executors = fixlineServices.filter(([name]) => name.startsWith("executor"));
    expect(executors.length).toBeGreaterThan(1);
    for (const [name, service] of executors) {
      const pool = name === "executor" ? "default" : name.slice("executor-".length);
      const command = asArray(asObject(service).command).map(String);
      expect(command.includes("--pool") ? command[command.indexOf("--pool") + 1] : "default", name).toBe(pool);
      if (pool === "default") continue;
      const build = asObject(asObject(service).build);
      expect(String(build.dockerfile), name).toBe(`infrastructure/docker/images/${pool}/Dockerfile`);
      // The build arg names the additional context that is the executor service's own image.
      const from = String(asObject(build.args).EXECUTOR_IMAGE);
      expect(asObject(build.additional_contexts)[from], name).toBe("service:executor");
      expect(asArray(asObject(service).profiles), name).toEqual([pool]);
    }
  });

  it("gives Fixline services only variables load-config.ts reads", () => {
    const problems = fixlineServices.flatMap(([name, service]) =>
      Object.keys(asObject(asObject(service).environment))
        .filter((key) => !schema.has(key) && !fileVariables.has(key))
        .map((key) => `${name}: ${key}`),
    );
    expect(problems).toEqual([]);
  });

  it("interpolates only documented variables", () => {
    const documented = envExample();
    const used = new Set([...readText(composePath).matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] ?? ""));
    expect([...used].filter((name) => !schema.has(name) && !documented.composeOnly.includes(name))).toEqual([]);
  });

  it("mounts and builds from paths that exist, relative to the compose file", () => {
    const composeDir = dirname(composePath);
    for (const [name, value] of Object.entries(services)) {
      for (const volume of asArray(asObject(value).volumes).map(String)) {
        const source = volume.split(":")[0] ?? "";
        if (source.startsWith(".")) expect(existsSync(resolve(composeDir, source)), `${name}: ${source}`).toBe(true);
      }
      const build = asObject(asObject(value).build);
      if (build.context) {
        const context = resolve(composeDir, String(build.context));
        expect(existsSync(join(context, "package.json")), `${name} context`).toBe(true);
        expect(existsSync(join(context, String(build.dockerfile))), `${name} dockerfile`).toBe(true);
        // A pool's toolchain image (issue 20) is its own Dockerfile, built on the executor service's image.
        if (build.target !== undefined) expect(dockerfile).toContain(` AS ${String(build.target)}\n`);
        else expect(readText(join(context, String(build.dockerfile))), name).toMatch(/^FROM \$\{EXECUTOR_IMAGE\}$/m);
      }
    }
  });

  it("builds non-root role images on node:24-bookworm-slim with a frozen lockfile, git and the Claude CLI", () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(dockerfile).toContain("corepack enable");
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    const stages = dockerfile.split(/^FROM /m).slice(1);
    const stage = (name: string) => stages.find((text) => text.split("\n")[0]?.endsWith(` AS ${name}`)) ?? "";
    expect(stage("agent")).toMatch(/apt-get install[^\n]*\bgit\b/);
    expect(stage("agent")).toContain("@anthropic-ai/claude-code@");
    // The last USER in each final stage's ancestry must not be root.
    for (const target of ["webhook-server", "planner", "executor"]) {
      const chain = target === "webhook-server" ? ["runtime", target] : ["runtime", "agent", target];
      const users = chain.flatMap((name) => [...stage(name).matchAll(/^USER (\S+)$/gm)].map((match) => match[1]));
      expect(users.at(-1), target).toBe("node");
      const cmd = /^CMD (\[.*\])$/m.exec(stage(target))?.[1];
      expect(commandProblems(JSON.parse(cmd ?? "[]") as unknown[]), target).toEqual([]);
    }
    expect(stage("webhook-server")).toMatch(/HEALTHCHECK[\s\S]*\/health/);
    expect(stage("agent")).toMatch(/HEALTHCHECK[\s\S]*\/health/);
  });
});

describe("kubernetes", () => {
  const dir = infra("kubernetes");
  /** The manifests as `kubectl kustomize` renders them (pools are overlays), or, without kubectl, the plain files of every non-overlay resource. */
  function kustomized(): { documents: Json[]; rendered: boolean } {
    try {
      const text = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { documents: parseAllDocuments(text).map((document) => asObject(document.toJS())), rendered: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const walk = (kustomizationDir: string): Json[] =>
      asArray(asObject(parseYaml(readText(join(kustomizationDir, "kustomization.yaml")))).resources).flatMap((file) => {
        const path = join(kustomizationDir, String(file));
        expect(existsSync(path), String(file)).toBe(true);
        if (statSync(path).isDirectory()) return path.includes("/pools/") ? [] : walk(path);
        return parseAllDocuments(readText(path)).map((document) => {
          expect(document.errors, String(file)).toEqual([]);
          return asObject(document.toJS());
        });
      });
    return { documents: walk(dir), rendered: false };
  }
  const { documents, rendered } = kustomized();
  const ofKind = (kind: string) => documents.filter((document) => document.kind === kind);
  const named = (kind: string, name: string) => ofKind(kind).find((document) => asObject(document.metadata).name === name) ?? {};
  const podSpec = (deployment: Json) => asObject(asObject(asObject(deployment.spec).template).spec);
  const containers = (deployment: Json) => [...asArray(podSpec(deployment).initContainers), ...asArray(podSpec(deployment).containers)].map(asObject);
  const configMapEnv = asObject(named("ConfigMap", "fixline-env").data);

  it("parses every manifest, including the optional GitHub App patch", () => {
    expect(ofKind("Deployment").map((d) => asObject(d.metadata).name).sort()).toEqual(rendered ? ["fixline-executor", "fixline-executor-python", "fixline-planner", "fixline-webhook-server"] : ["fixline-executor", "fixline-planner", "fixline-webhook-server"]);
    for (const kind of ["Service", "Ingress", "ConfigMap", "PodDisruptionBudget", "ScaledObject"]) expect(ofKind(kind).length, kind).toBeGreaterThan(0);
    const patch = asArray(parseYaml(readText(join(dir, "github-app-patch.yaml"))));
    const patchedEnv = patch.map((op) => asObject(asObject(op).value).name).filter((name): name is string => typeof name === "string" && /^[A-Z]/.test(name));
    expect(patchedEnv.filter((name) => !schema.has(name) && !fileVariables.has(name))).toEqual([]);
  });

  it("sets only variables load-config.ts reads (or the agent's MCP variables)", () => {
    const names = [
      ...Object.keys(configMapEnv),
      ...ofKind("Deployment").flatMap((deployment) => containers(deployment).flatMap((container) => asArray(container.env).map((env) => String(asObject(env).name)))),
    ];
    expect(names.filter((name) => !schema.has(name) && !fileVariables.has(name) && !mcpVariables.has(name))).toEqual([]);
  });

  it("loads cleanly from the ConfigMap and its FIXLINE_CONFIG file", () => {
    const file = String(asObject(named("ConfigMap", "fixline-file").data)["fixline.yaml"]);
    const env = Object.fromEntries(Object.entries(configMapEnv).map(([key, value]) => [key, String(value)]));
    const config = loadConfig(env, { readFile: (path) => (path === env.FIXLINE_CONFIG ? file : readText(path)) });
    expect(config.file.defaults.budgets.perTaskUsd).toBe(5);
    expect(config.port).toBe(3000);
    expect(config.metricsPort).toBe(9464);
  });

  it("probes /health for liveness and /ready for readiness on the default ports, and runs real commands", () => {
    const expectedPort: Record<string, number> = { "fixline-webhook-server": 3000, "fixline-planner": 9464, "fixline-executor": 9464, "fixline-executor-python": 9464 };
    for (const deployment of ofKind("Deployment")) {
      const name = String(asObject(deployment.metadata).name);
      const [container] = asArray(podSpec(deployment).containers).map(asObject);
      expect(container, name).toBeDefined();
      if (!container) continue;
      const ports = Object.fromEntries(asArray(container.ports).map((port) => [String(asObject(port).name), asObject(port).containerPort]));
      const probe = (kind: string) => asObject(asObject(container[kind]).httpGet);
      expect(probe("livenessProbe").path, name).toBe("/health");
      expect(probe("readinessProbe").path, name).toBe("/ready");
      expect(ports[String(probe("livenessProbe").port)], name).toBe(expectedPort[name]);
      expect(ports[String(probe("readinessProbe").port)], name).toBe(expectedPort[name]);
      expect(asObject(asObject(container.resources).requests).memory, name).toBeDefined();
      for (const c of containers(deployment)) expect(commandProblems(asArray(c.command)), name).toEqual([]);
      expect(asObject(podSpec(deployment).securityContext).runAsNonRoot, name).toBe(true);
    }
    const service = named("Service", "fixline-webhook-server");
    expect(asArray(asObject(service.spec).ports).map((port) => asObject(port).targetPort)).toContain("http");
    expect(JSON.stringify(named("Ingress", "fixline-webhook-server"))).toContain('"name":"fixline-webhook-server"');
  });

  it("lets an executor drain a running fix before it is killed, and protects executors with a PDB", () => {
    const executor = named("Deployment", "fixline-executor");
    const grace = Number(podSpec(executor).terminationGracePeriodSeconds);
    const [container] = asArray(podSpec(executor).containers).map(asObject);
    const shutdownMs = Number(asObject(asArray(container?.env).map(asObject).find((env) => env.name === "SHUTDOWN_GRACE_MS")).value);
    expect(grace).toBeGreaterThanOrEqual(1800);
    expect(shutdownMs).toBeGreaterThan(0);
    expect(shutdownMs).toBeLessThan(grace * 1000);
    expect(asObject(executor.spec).replicas, "KEDA owns the replica count").toBeUndefined();
    const pdb = named("PodDisruptionBudget", "fixline-executor");
    expect(asObject(asObject(asObject(pdb.spec).selector).matchLabels)).toEqual(asObject(asObject(asObject(executor.spec).selector).matchLabels));
  });

  it("autoscales executors 2-8 with KEDA on waiting execution jobs, using real metric names and labels", () => {
    const scaled = asObject(named("ScaledObject", "fixline-executor").spec);
    expect(asObject(scaled.scaleTargetRef).name).toBe("fixline-executor");
    expect(scaled.minReplicaCount).toBe(2);
    expect(scaled.maxReplicaCount).toBe(8);
    const [trigger] = asArray(scaled.triggers).map(asObject);
    expect(trigger?.type).toBe("prometheus");
    const query = String(asObject(trigger?.metadata).query);
    expect(queryProblems(query)).toEqual([]);
    expect(query).toContain('ai_agent_queue_length{queue="execution",state=~"waiting|prioritized"}');
  });

  // Issue 20: `kubectl kustomize` renders one executor Deployment, PDB and ScaledObject per pool, each pool's
  // pods on its toolchain image, taking only its pool's queue, and scaled on that queue alone.
  it.skipIf(!rendered)("renders one executor Deployment, PodDisruptionBudget and ScaledObject per pool, on the pool's toolchain image", () => {
    const pools = readdirSync(join(dir, "pools"));
    expect(pools).toContain("python");
    const selectors = new Set<string>();
    for (const pool of ["default", ...pools]) {
      const name = pool === "default" ? "fixline-executor" : `fixline-executor-${pool}`;
      // The BullMQ queue name shared/queue's poolQueueName makes: the catalog name for default, `execution.<pool>` otherwise.
      const queue = pool === "default" ? "execution" : `execution.${pool}`;
      const deployment = named("Deployment", name);
      const [container] = asArray(podSpec(deployment).containers).map(asObject);
      const command = asArray(container?.command).map(String);
      expect(commandProblems(command), name).toEqual([]);
      expect(command.includes("--pool") ? command[command.indexOf("--pool") + 1] : "default", name).toBe(pool);
      const image = String(container?.image);
      if (pool === "default") expect(image).toBe("ghcr.io/your-org/fixline-executor:latest");
      else {
        expect(image, name).toBe(`ghcr.io/your-org/fixline-executor-${pool}:latest`);
        expect(existsSync(infra("docker/images", pool, "Dockerfile")), `${pool} toolchain image`).toBe(true);
      }
      const selector = JSON.stringify(asObject(asObject(deployment.spec).selector).matchLabels);
      expect(selectors.has(selector), `${name}: selector shared with another pool`).toBe(false);
      selectors.add(selector);
      expect(JSON.stringify(asObject(asObject(named("PodDisruptionBudget", name).spec).selector).matchLabels), name).toBe(selector);
      const scaled = asObject(named("ScaledObject", name).spec);
      expect(asObject(scaled.scaleTargetRef).name, name).toBe(name);
      const query = String(asObject(asArray(scaled.triggers).map(asObject)[0]?.metadata).query);
      expect(queryProblems(query), name).toEqual([]);
      expect(query, name).toContain(`ai_agent_queue_length{queue="${queue}",state=~"waiting|prioritized"}`);
    }
    expect(ofKind("ScaledObject").length).toBe(pools.length + 1);
    expect(ofKind("Deployment").filter((d) => String(asObject(d.metadata).name).startsWith("fixline-executor")).length).toBe(pools.length + 1);
  });
});

describe("skills", () => {
  const skillsDir = join(repoRoot, "skills");
  const skills = readdirSync(skillsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

  it("has the planning and execution skills, each with front matter naming it and describing when to use it", () => {
    expect(skills.sort()).toEqual(["code-review", "discovery", "execution", "git-operations", "jira-enrichment", "plan-changes", "tdd-workflow"]);
    for (const skill of skills) {
      const text = readText(join(skillsDir, skill, "SKILL.md"));
      const frontMatter = /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1];
      expect(frontMatter, skill).toBeDefined();
      const meta = asObject(parseYaml(frontMatter ?? ""));
      expect(meta.name, skill).toBe(skill);
      expect(String(meta.description).length, skill).toBeGreaterThan(40);
      expect(String(meta.description).length, skill).toBeLessThanOrEqual(1024);
    }
  });

  it("tells the planner every PLAN.md section the harness requires, as level-2 headings", () => {
    const text = readText(join(skillsDir, "plan-changes", "SKILL.md"));
    const template = text.slice(text.indexOf("## Template"));
    for (const heading of ["Summary", "Root cause", "Affected files", "Failing test to write first", "Fix steps", "Risks", "Test command"]) {
      expect(template, heading).toContain(`\n## ${heading}\n`);
    }
  });
});
