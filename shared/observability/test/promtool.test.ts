import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

// Prometheus's own checker on the shipped rules and config, and unit tests of the alerts' behaviour
// (promtool test rules): a rule that parses can still never fire, or fire with a broken annotation.
// Skipped where promtool is not installed (apt-get install prometheus).

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const alertsPath = join(repoRoot, "infrastructure/grafana/prometheus/alerts.yml");
const configPath = join(repoRoot, "infrastructure/grafana/prometheus/prometheus.yml");

const promtool = await run("promtool", ["--version"]).then(
  () => true,
  () => false,
);

async function promtoolRun(args: string[], cwd?: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("promtool", args, { ...(cwd ? { cwd } : {}) });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe.skipIf(!promtool)("Prometheus rules and config under promtool", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fixline-promtool-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts every alert rule", async () => {
    const result = await promtoolRun(["check", "rules", alertsPath]);
    // Every rule in the file was read (a rule promtool skipped would lower its count).
    const groups = (parseYaml(await readFile(alertsPath, "utf8")) as { groups: Array<{ rules: unknown[] }> }).groups;
    const rules = groups.reduce((sum, group) => sum + group.rules.length, 0);
    expect(rules).toBeGreaterThanOrEqual(9);
    expect(result.output).toContain(`SUCCESS: ${rules} rules found`);
    expect(result.code).toBe(0);
  });

  it("accepts prometheus.yml with its rule file where docker-compose mounts it", async () => {
    // The shipped config names /etc/prometheus/alerts.yml, the compose mount; point it at the repo's file.
    const text = await readFile(configPath, "utf8");
    expect(text).toContain("/etc/prometheus/alerts.yml");
    const local = join(dir, "prometheus.yml");
    await writeFile(local, text.replace("/etc/prometheus/alerts.yml", alertsPath));
    const result = await promtoolRun(["check", "config", local]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("fires the alerts when their conditions hold long enough, with their annotations filled in", async () => {
    const tests = `
rule_files: [${JSON.stringify(alertsPath)}]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="fixline-workers", instance="executor:9464"}'
        values: '1 1 0 0 0 0 0'
      - series: 'ai_agent_tasks_completed_total{status="failed", instance="executor:9464"}'
        values: '0+1x40'
      - series: 'ai_agent_tasks_completed_total{status="completed", instance="executor:9464"}'
        values: '0+0x40'
      - series: 'ai_agent_webhook_deliveries_total{source="sentry", outcome="error"}'
        values: '0+3x30'
      - series: 'ai_agent_webhook_deliveries_total{source="github", outcome="rejected"}'
        values: '0+50x30'
      - series: 'ai_agent_circuit_open{provider="claude", instance="executor:9464"}'
        values: '0 1 1 1 1 1 1 1 1 0 0'
      - series: 'ai_agent_circuit_open{provider="github", instance="executor:9464"}'
        values: '0 1 1 0 1 0 0 0 0 0 0'
    alert_rule_test:
      - eval_time: 4m
        alertname: FixlineCircuitOpen
        exp_alerts: []
      - eval_time: 7m
        alertname: FixlineCircuitOpen
        exp_alerts:
          - exp_labels: { severity: warning, provider: claude }
            exp_annotations:
              summary: "Fixline paused work: the claude circuit breaker is open"
              description: "claude has answered with outages (rate limit, overloaded, server or network errors) for 5 minutes. Jobs wait and resume by themselves when it recovers; fixline doctor and /api/status say since when and the last error."
      - eval_time: 10m
        alertname: FixlineCircuitOpen
        exp_alerts: []
      - eval_time: 3m
        alertname: FixlineWorkerDown
        exp_alerts: []
      - eval_time: 5m
        alertname: FixlineWorkerDown
        exp_alerts:
          - exp_labels: { severity: critical, job: fixline-workers, instance: "executor:9464" }
            exp_annotations:
              summary: "Fixline target executor:9464 (fixline-workers) is down"
              description: "Prometheus cannot scrape it. A crashed executor's job is retried by another one once its lock expires."
      - eval_time: 35m
        alertname: FixlineTaskFailureRateHigh
        exp_alerts:
          - exp_labels: { severity: warning }
            exp_annotations:
              summary: "More than half of Fixline tasks failed in the last 6 hours"
              description: "Failure ratio 100%. The errors-by-type panel shows which code dominates; each code's hint says what to do."
      - eval_time: 25m
        alertname: FixlineWebhookErrors
        exp_alerts:
          - exp_labels: { severity: critical, source: sentry }
            exp_annotations:
              summary: "Fixline is failing sentry webhooks"
              description: "Deliveries answered with 5xx for 10 minutes; senders retry, but Sentry and Slack give up quickly. Check /ready (Postgres, Redis) and the webhook server logs."
  - interval: 1m
    input_series:
      - series: 'ai_agent_tasks_completed_total{status="failed"}'
        values: '0+1x40'
      - series: 'ai_agent_tasks_completed_total{status="completed"}'
        values: '0+3x40'
      - series: 'ai_agent_webhook_deliveries_total{source="github", outcome="rejected"}'
        values: '0+50x30'
    alert_rule_test:
      - eval_time: 35m
        alertname: FixlineTaskFailureRateHigh
        exp_alerts: []
      - eval_time: 25m
        alertname: FixlineWebhookErrors
        exp_alerts: []
  # Issue 21: one repository's fixes are reverted about as often as they merge; another's are not, and a third
  # had one revert out of two merges (too few merges to judge).
  - interval: 1m
    input_series:
      - series: 'ai_agent_tasks_merged_total{repository="acme/shop", instance="webhook-server:3000"}'
        values: '0+1x40'
      - series: 'ai_agent_tasks_reverted_total{repository="acme/shop", instance="webhook-server:3000"}'
        values: '0+1x40'
      - series: 'ai_agent_tasks_merged_total{repository="acme/api", instance="webhook-server:3000"}'
        values: '0+1x40'
      - series: 'ai_agent_tasks_reverted_total{repository="acme/api", instance="webhook-server:3000"}'
        values: '0+0x40'
      - series: 'ai_agent_tasks_merged_total{repository="other", instance="webhook-server:3000"}'
        values: '0 1 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2'
      - series: 'ai_agent_tasks_reverted_total{repository="other", instance="webhook-server:3000"}'
        values: '0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'
    alert_rule_test:
      - eval_time: 2m
        alertname: FixlineRevertRateHigh
        exp_alerts: []
      - eval_time: 20m
        alertname: FixlineRevertRateHigh
        exp_alerts:
          - exp_labels: { severity: warning, repository: acme/shop }
            exp_annotations:
              summary: "Fixline fixes to acme/shop are being reverted"
              description: "Revert rate 100% over 7 days. Read the reverted tasks' plans and evidence (fixline tasks, outcome reverted): the tests proved the wrong thing, or review missed it."
  # Issue 21: every execution on one repository fails; another's all complete; a third failed once in two.
  - interval: 1m
    input_series:
      - series: 'ai_agent_executions_finished_total{repository="acme/shop", status="failed", instance="executor:9464"}'
        values: '0+1x40'
      - series: 'ai_agent_executions_finished_total{repository="acme/api", status="completed", instance="executor:9464"}'
        values: '0+1x40'
      - series: 'ai_agent_executions_finished_total{repository="acme/api", status="failed", instance="executor:9464"}'
        values: '0+0x40'
      - series: 'ai_agent_executions_finished_total{repository="other", status="failed", instance="executor:9464"}'
        values: '0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'
      - series: 'ai_agent_executions_finished_total{repository="other", status="completed", instance="executor:9464"}'
        values: '0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'
    alert_rule_test:
      - eval_time: 3m
        alertname: FixlineRepositoryFailureRateHigh
        exp_alerts: []
      - eval_time: 30m
        alertname: FixlineRepositoryFailureRateHigh
        exp_alerts:
          - exp_labels: { severity: warning, repository: acme/shop }
            exp_annotations:
              summary: "Most Fixline executions on acme/shop fail"
              description: "Failure rate 100% over a day. fixline tasks --repo acme/shop --state failed lists them; their error codes and hints say whether the plans, the test command or the environment is at fault."
`;
    const file = join(dir, "alerts.test.yml");
    await writeFile(file, tests);
    const result = await promtoolRun(["test", "rules", file]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });
});
