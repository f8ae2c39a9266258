/**
 * The rendered alert rules through the real promtool: `check rules` must accept every group
 * we render (and reject a broken fixture, so the check is known to bite), and `test rules`
 * replays synthetic series to prove the important alerts fire when they should and stay
 * quiet when the service is healthy or idle.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { buildMonitoringDashboard, buildRuleGroups, MonitoringArgs, resolveMonitoringArgs, RuleGroup } from "../../components/monitoring";
import { RATE_INTERVAL } from "../../components/monitoring/dashboard";
import { MonitoringConfigInput, monitoringConfigSchema } from "../../components/monitoring/schema";
import { requireTool } from "../helpers/external-tools";

const NS = "agents";
const JOB = "agent-runtime";
const POD = "agent-runtime-7d9f8c6b5-x2x7q";
const PREFIX = "FractalAgentsRuntime";

function args(block: MonitoringConfigInput = {}, profile: "http" | "worker" = "http"): MonitoringArgs {
    return {
        config: monitoringConfigSchema.parse(block),
        identity: { name: "fractal-agents-runtime", instance: "agent-runtime", component: "runtime" },
        namespace: NS,
        serviceName: JOB,
        workload: { kind: "Deployment", name: "agent-runtime" },
        metricPrefix: "agent_runtime",
        profile,
    };
}

function groups(block: MonitoringConfigInput = {}, profile: "http" | "worker" = "http"): RuleGroup[] {
    const a = args(block, profile);
    return buildRuleGroups(a, resolveMonitoringArgs(a), NS);
}

/** Writes `files` (objects as YAML) to a fresh directory and runs promtool there. */
function promtool(path: string, argv: string[], files: Record<string, unknown>): { status: number | null; output: string } {
    const dir = mkdtempSync(join(tmpdir(), "promtool-"));
    try {
        for (const [name, content] of Object.entries(files))
            writeFileSync(join(dir, name), typeof content === "string" ? content : stringify(content, { lineWidth: 0 }));
        const run = spawnSync(path, argv, { cwd: dir, encoding: "utf8" });
        return { status: run.status, output: `${run.stdout}${run.stderr}` };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** promtool compares annotations verbatim after templating; the firing tests judge labels only. */
const withoutAnnotations = (gs: RuleGroup[]) => ({ groups: gs.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...rule }) => rule) })) });

const sel = (labels: Record<string, string>) =>
    `{${Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(", ")}}`;
const svc = (metric: string, extra: Record<string, string> = {}) => `${metric}${sel({ job: JOB, namespace: NS, ...extra })}`;

interface Scenario {
    series: Record<string, string>;
    at: string;
    alert: string;
    /** Labels of each expected alert; `[]` means it must not fire. */
    expect: Record<string, string>[];
}

function unitTest(path: string, rules: unknown, scenario: Scenario) {
    const test = {
        rule_files: ["rules.yaml"],
        evaluation_interval: "1m",
        tests: [
            {
                interval: "1m",
                input_series: Object.entries(scenario.series).map(([series, values]) => ({ series, values })),
                alert_rule_test: [
                    { eval_time: scenario.at, alertname: `${PREFIX}${scenario.alert}`, exp_alerts: scenario.expect.map((exp_labels) => ({ exp_labels })) },
                ],
            },
        ],
    };
    const result = promtool(path, ["test", "rules", "test.yaml"], { "rules.yaml": rules, "test.yaml": test });
    expect(result.status, result.output).to.equal(0);
}

describe("monitoring rules under promtool", function () {
    let path: string;
    before(function () {
        path = requireTool(this, "promtool", "apt-get install prometheus");
    });

    describe("promtool check rules", () => {
        const variants: [string, MonitoringConfigInput, "http" | "worker"][] = [
            ["http defaults", {}, "http"],
            ["worker defaults", {}, "worker"],
            [
                "every option set",
                {
                    metricPrefix: "robyn",
                    prometheusRule: {
                        job: "kubernetes-pods",
                        interval: "1m",
                        runbookBaseUrl: "https://runbooks.example.com",
                        labels: { team: "ai" },
                        alerts: { errorRatio: { statusLabel: "status", minRequestsPerSecond: 0.2, threshold: 0.02 }, latencyP95: { thresholdSeconds: 2.5 } },
                    },
                },
                "http",
            ],
        ];
        for (const [name, block, profile] of variants) {
            it(`accepts the rendered groups: ${name}`, () => {
                const result = promtool(path, ["check", "rules", "rules.yaml"], { "rules.yaml": { groups: groups(block, profile) } });
                expect(result.status, result.output).to.equal(0);
                expect(result.output).to.match(/SUCCESS: \d+ rules found/);
            });
        }

        it("rejects a fixture with a broken expression (the check really parses PromQL)", () => {
            const broken = groups();
            broken[1]!.rules[0]!.expr = broken[1]!.rules[0]!.expr.replace("sum by (namespace, job) (rate(", "sum by (namespace, job) (rate((");
            const result = promtool(path, ["check", "rules", "rules.yaml"], { "rules.yaml": { groups: broken } });
            expect(result.status).not.to.equal(0);
            expect(result.output).to.match(/FAILED/);
            expect(result.output).to.match(/parse error/);
        });

        it("rejects a fixture with a broken annotation template", () => {
            const broken = groups();
            broken[0]!.rules[0]!.annotations["description"] = "{{ $labels.namespace ";
            const result = promtool(path, ["check", "rules", "rules.yaml"], { "rules.yaml": { groups: broken } });
            expect(result.status).not.to.equal(0);
            expect(result.output).to.match(/template/);
        });

        it("accepts every dashboard query as PromQL (as recording rules, with Grafana's rate window made concrete)", () => {
            const queries = (profile: "http" | "worker") => {
                const a = args({}, profile);
                return buildMonitoringDashboard(a, resolveMonitoringArgs(a), NS).panels.flatMap((p) =>
                    p.targets.map((t) => ({ record: `dashboard:panel_${p.id}:${t.refId}`, expr: t.expr.split(RATE_INTERVAL).join("5m") })),
                );
            };
            const rules = {
                groups: [
                    { name: "http", rules: queries("http") },
                    { name: "worker", rules: queries("worker") },
                ],
            };
            const result = promtool(path, ["check", "rules", "rules.yaml"], { "rules.yaml": rules });
            expect(result.status, result.output).to.equal(0);
        });
    });

    describe("promtool test rules: HTTP service", () => {
        const rules = withoutAnnotations(groups());
        const up = (instance: string) => svc("up", { instance });
        const requests = svc("agent_runtime_requests_total");
        const errors = svc("agent_runtime_errors_total");
        const labels = { namespace: NS, job: JOB };

        it("Down fires when every target is down", () =>
            unitTest(path, rules, {
                series: { [up("10.0.0.1:8081")]: "0x20", [up("10.0.0.2:8081")]: "0x20" },
                at: "10m",
                alert: "Down",
                expect: [{ ...labels, severity: "critical" }],
            }));
        it("Down stays quiet while one target still serves, and TargetDown names the dead one", () => {
            const series = { [up("10.0.0.1:8081")]: "1x20", [up("10.0.0.2:8081")]: "0x20" };
            unitTest(path, rules, { series, at: "10m", alert: "Down", expect: [] });
            unitTest(path, rules, { series, at: "20m", alert: "TargetDown", expect: [{ ...labels, instance: "10.0.0.2:8081", severity: "warning" }] });
        });
        it("MetricsAbsent fires when Prometheus has no target of the job, with the job and namespace", () =>
            unitTest(path, rules, {
                series: { [sel({ __name__: "up", job: "other", namespace: NS })]: "1x20" },
                at: "15m",
                alert: "MetricsAbsent",
                expect: [{ ...labels, severity: "warning" }],
            }));

        it("HighErrorRatio fires at 10% errors", () =>
            unitTest(path, rules, {
                series: { [requests]: "0+600x40", [errors]: "0+60x40" },
                at: "30m",
                alert: "HighErrorRatio",
                expect: [{ ...labels, severity: "warning" }],
            }));
        it("HighErrorRatio stays quiet at 1% errors", () =>
            unitTest(path, rules, { series: { [requests]: "0+600x40", [errors]: "0+6x40" }, at: "30m", alert: "HighErrorRatio", expect: [] }));
        it("HighErrorRatio stays quiet with no traffic at all (0/0)", () =>
            unitTest(path, rules, { series: { [requests]: "100x40", [errors]: "5x40" }, at: "30m", alert: "HighErrorRatio", expect: [] }));
        it("HighErrorRatio stays quiet when errors grow but requests do not (x/0 = +Inf is guarded)", () =>
            unitTest(path, rules, { series: { [requests]: "100x40", [errors]: "0+6x40" }, at: "30m", alert: "HighErrorRatio", expect: [] }));
        it("HighErrorRatio honours minRequestsPerSecond", () => {
            const quiet = withoutAnnotations(groups({ prometheusRule: { alerts: { errorRatio: { minRequestsPerSecond: 1 } } } }));
            // 0.5 requests/s, half of them failing: below the traffic floor.
            unitTest(path, quiet, { series: { [requests]: "0+30x40", [errors]: "0+15x40" }, at: "30m", alert: "HighErrorRatio", expect: [] });
        });
        it("HighErrorRatio counts 5xx statuses when errors come from a status label", () => {
            const byStatus = withoutAnnotations(groups({ prometheusRule: { alerts: { errorRatio: { statusLabel: "status" } } } }));
            const series = {
                [svc("agent_runtime_requests_total", { status: "200" })]: "0+540x40",
                [svc("agent_runtime_requests_total", { status: "503" })]: "0+60x40",
            };
            unitTest(path, byStatus, { series, at: "30m", alert: "HighErrorRatio", expect: [{ ...labels, severity: "warning" }] });
        });

        const buckets = (counts: Record<string, string>) =>
            Object.fromEntries(Object.entries(counts).map(([le, values]) => [svc("agent_runtime_request_duration_seconds_bucket", { le }), values]));
        it("HighLatencyP95 fires when requests take 10-30 s", () =>
            unitTest(path, rules, {
                series: buckets({ "1": "0x40", "10": "0x40", "30": "0+600x40", "+Inf": "0+600x40" }),
                at: "30m",
                alert: "HighLatencyP95",
                expect: [{ ...labels, severity: "warning" }],
            }));
        it("HighLatencyP95 stays quiet when requests finish within a second", () =>
            unitTest(path, rules, {
                series: buckets({ "1": "0+600x40", "10": "0+600x40", "30": "0+600x40", "+Inf": "0+600x40" }),
                at: "30m",
                alert: "HighLatencyP95",
                expect: [],
            }));

        const restarts = (namespace: string, pod: string) =>
            sel({ __name__: "kube_pod_container_status_restarts_total", namespace, pod, container: "runtime" });
        it("PodRestartingOften fires for this release's pod only, not a neighbour or another namespace", () =>
            unitTest(path, rules, {
                series: {
                    [restarts(NS, POD)]: "0+1x70",
                    [restarts(NS, "agent-runtime-worker-6b8d9f7c4-abcde")]: "0+1x70",
                    [restarts("agents-dev", POD)]: "0+1x70",
                },
                at: "60m",
                alert: "PodRestartingOften",
                expect: [{ namespace: NS, pod: POD, container: "runtime", severity: "warning" }],
            }));
        it("PodRestartingOften stays quiet at two restarts an hour", () =>
            unitTest(path, rules, {
                series: {
                    [restarts(NS, POD)]:
                        "0 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2 2",
                },
                at: "60m",
                alert: "PodRestartingOften",
                expect: [],
            }));
        it("PodCrashLooping fires for a container waiting in CrashLoopBackOff", () => {
            const waiting = sel({
                __name__: "kube_pod_container_status_waiting_reason",
                namespace: NS,
                pod: POD,
                container: "runtime",
                reason: "CrashLoopBackOff",
            });
            unitTest(path, rules, {
                series: { [waiting]: "1x30" },
                at: "25m",
                alert: "PodCrashLooping",
                expect: [{ namespace: NS, pod: POD, container: "runtime", reason: "CrashLoopBackOff", severity: "critical" }],
            });
        });

        it("extra rule labels reach the fired alert", () => {
            const labelled = withoutAnnotations(groups({ prometheusRule: { labels: { team: "ai" } } }));
            unitTest(path, labelled, {
                series: { [up("10.0.0.1:8081")]: "0x20" },
                at: "10m",
                alert: "Down",
                expect: [{ ...labels, team: "ai", severity: "critical" }],
            });
        });

        it("annotations expand with the alert's labels", () => {
            const test = {
                rule_files: ["rules.yaml"],
                evaluation_interval: "1m",
                tests: [
                    {
                        interval: "1m",
                        input_series: [{ series: up("10.0.0.1:8081"), values: "0x20" }],
                        alert_rule_test: [
                            {
                                eval_time: "10m",
                                alertname: `${PREFIX}Down`,
                                exp_alerts: [
                                    {
                                        exp_labels: { ...labels, severity: "critical" },
                                        exp_annotations: {
                                            summary: "agent-runtime is down",
                                            description: "Every scrape target of agents/agent-runtime has been down for 5m.",
                                            runbook:
                                                "kubectl get pods,endpoints in the namespace; check pod events and logs, then readiness of the metrics port.",
                                        },
                                    },
                                ],
                            },
                        ],
                    },
                ],
            };
            const result = promtool(path, ["test", "rules", "test.yaml"], { "rules.yaml": { groups: groups() }, "test.yaml": test });
            expect(result.status, result.output).to.equal(0);
        });
    });

    describe("promtool test rules: worker", () => {
        const rules = withoutAnnotations(groups({}, "worker"));
        const depth = svc("agent_runtime_queue_depth");
        const age = svc("agent_runtime_queue_oldest_job_age_seconds");
        const succeeded = svc("agent_runtime_jobs_succeeded_total");
        const failed = svc("agent_runtime_jobs_failed_total");
        const labels = { namespace: NS, job: JOB };

        it("QueueBacklog fires above 100 waiting jobs and not below", () => {
            unitTest(path, rules, { series: { [depth]: "150x30" }, at: "20m", alert: "QueueBacklog", expect: [{ ...labels, severity: "warning" }] });
            unitTest(path, rules, { series: { [depth]: "50x30" }, at: "20m", alert: "QueueBacklog", expect: [] });
        });
        it("ProcessingLag fires when the oldest job waited over 10 minutes", () =>
            unitTest(path, rules, { series: { [age]: "900x20" }, at: "15m", alert: "ProcessingLag", expect: [{ ...labels, severity: "warning" }] }));
        it("NoSuccessfulJobs fires when jobs wait and none succeeded in the window", () =>
            unitTest(path, rules, {
                series: { [depth]: "5x100", [succeeded]: "10x100" },
                at: "90m",
                alert: "NoSuccessfulJobs",
                expect: [{ ...labels, severity: "critical" }],
            }));
        it("NoSuccessfulJobs fires when the success counter was never exported", () =>
            unitTest(path, rules, { series: { [depth]: "5x100" }, at: "90m", alert: "NoSuccessfulJobs", expect: [{ ...labels, severity: "critical" }] }));
        it("NoSuccessfulJobs stays quiet while jobs succeed", () =>
            unitTest(path, rules, { series: { [depth]: "5x100", [succeeded]: "0+1x100" }, at: "90m", alert: "NoSuccessfulJobs", expect: [] }));
        it("NoSuccessfulJobs stays quiet for an idle worker with an empty queue", () =>
            unitTest(path, rules, { series: { [depth]: "0x100", [succeeded]: "10x100" }, at: "90m", alert: "NoSuccessfulJobs", expect: [] }));
        it("HighJobFailureRatio fires when half the jobs fail, also when none ever succeeded", () => {
            unitTest(path, rules, {
                series: { [failed]: "0+5x40", [succeeded]: "0+5x40" },
                at: "35m",
                alert: "HighJobFailureRatio",
                expect: [{ ...labels, severity: "warning" }],
            });
            unitTest(path, rules, { series: { [failed]: "0+5x40" }, at: "35m", alert: "HighJobFailureRatio", expect: [{ ...labels, severity: "warning" }] });
        });
        it("HighJobFailureRatio stays quiet when no job fails, and when no job ran", () => {
            unitTest(path, rules, { series: { [failed]: "3x40", [succeeded]: "0+5x40" }, at: "35m", alert: "HighJobFailureRatio", expect: [] });
            unitTest(path, rules, { series: { [failed]: "3x40", [succeeded]: "7x40" }, at: "35m", alert: "HighJobFailureRatio", expect: [] });
        });
    });
});
