/**
 * Monitoring building block: the config fragment, the pure resolve/build functions (tier 1)
 * and the component under mocks (tier 2). The alert rules' behaviour under promtool is in
 * monitoring-promtool.test.ts.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { referenceRows, undescribedFields } from "../../components/config/introspect";
import {
    buildMonitoringDashboard,
    buildRuleGroups,
    buildServiceMonitorSpec,
    Monitoring,
    MonitoringArgs,
    resolveMonitoringArgs,
} from "../../components/monitoring";
import { dashboardUid } from "../../components/monitoring/dashboard";
import { metricNames, podNamePattern } from "../../components/monitoring/promql";
import { durationMs, MonitoringConfigInput, monitoringConfigSchema } from "../../components/monitoring/schema";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";

const identity = { name: "fractal-agents-runtime", instance: "agent-runtime", component: "runtime", version: "0.0.3" };

function monitoringArgs(block: MonitoringConfigInput = {}, overrides: Partial<MonitoringArgs> = {}): MonitoringArgs {
    return {
        config: monitoringConfigSchema.parse(block),
        identity,
        namespace: "agents",
        serviceName: "agent-runtime",
        workload: { kind: "Deployment", name: "agent-runtime" },
        metricPrefix: "agent_runtime",
        ...overrides,
    };
}

/** Messages of a failed parse, as `path: message`. */
function problems(schema: z.ZodType, value: unknown): string[] {
    const result = schema.safeParse(value);
    expect(result.success, "parse should fail").to.equal(false);
    return result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const undescribed = undescribedFields;

describe("monitoring config fragment", () => {
    it("defaults: everything on, kube-prometheus-stack release, 30s/10s scrape of http /metrics", () => {
        const config = monitoringConfigSchema.parse({});
        expect(config.enabled).to.equal(true);
        expect(config.prometheusRelease).to.equal("kube-prometheus-stack");
        expect(config.serviceMonitor).to.deep.equal({ enabled: true, port: "http", path: "/metrics", interval: "30s", scrapeTimeout: "10s" });
        expect(config.prometheusRule.enabled).to.equal(true);
        expect(config.prometheusRule.alerts.errorRatio).to.include({ enabled: true, threshold: 0.05, for: "10m", severity: "warning" });
        expect(config.prometheusRule.alerts.down).to.deep.equal({ enabled: true, for: "5m", severity: "critical" });
        expect(config.dashboard).to.include({ enabled: true, sidecarLabel: "grafana_dashboard", sidecarLabelValue: "1", folderAnnotation: "grafana_folder" });
    });

    it("reports unknown keys when embedded in a strict service block, at every level", () => {
        const service = z.strictObject({ monitoring: monitoringConfigSchema.prefault({}) });
        expect(problems(service, { monitoring: { serviceMonitr: {} } })).to.deep.equal(['monitoring: Unrecognized key: "serviceMonitr"']);
        expect(problems(service, { monitoring: { prometheusRule: { alerts: { errorRatio: { treshold: 0.1 } } } } })).to.deep.equal([
            'monitoring.prometheusRule.alerts.errorRatio: Unrecognized key: "treshold"',
        ]);
    });

    it("rejects a scrape timeout longer than the interval, naming both keys", () => {
        const [message] = problems(monitoringConfigSchema, { serviceMonitor: { interval: "15s", scrapeTimeout: "20s" } });
        expect(message).to.match(/^serviceMonitor\.scrapeTimeout: .*`serviceMonitor\.scrapeTimeout` \(20s\).*`serviceMonitor\.interval` \(15s\)/);
    });

    it("rejects malformed durations, metric names, severities, ratios and label keys", () => {
        expect(problems(monitoringConfigSchema, { serviceMonitor: { interval: "30 seconds" } })[0]).to.match(
            /^serviceMonitor\.interval: must be a Prometheus duration/,
        );
        expect(problems(monitoringConfigSchema, { serviceMonitor: { interval: "0s" } })[0]).to.match(/^serviceMonitor\.interval: must be longer than zero/);
        expect(problems(monitoringConfigSchema, { metricPrefix: "agent-runtime" })[0]).to.match(/^metricPrefix: must be a Prometheus metric name/);
        expect(problems(monitoringConfigSchema, { prometheusRule: { alerts: { down: { severity: "page" } } } })[0]).to.match(
            /^prometheusRule\.alerts\.down\.severity/,
        );
        expect(problems(monitoringConfigSchema, { prometheusRule: { alerts: { errorRatio: { threshold: 5 } } } })[0]).to.match(
            /^prometheusRule\.alerts\.errorRatio\.threshold/,
        );
        expect(problems(monitoringConfigSchema, { prometheusRule: { labels: { "team-name": "x" } } })[0]).to.match(/^prometheusRule\.labels\.team-name/);
        expect(problems(monitoringConfigSchema, { serviceMonitor: { path: "metrics" } })[0]).to.match(/^serviceMonitor\.path: must start with '\/'/);
    });

    it("describes every field, including list elements and map values", () => {
        expect(undescribed(monitoringConfigSchema, "")).to.deep.equal([]);
    });

    it("docs/monitoring.md documents every config key (alert fields in their alert's row)", () => {
        const doc = readFileSync(join(__dirname, "..", "..", "docs", "monitoring.md"), "utf8");
        const lines = doc.split("\n");
        const COMMON_ALERT_FIELDS = ["enabled", "for", "severity"];
        const missing = referenceRows(monitoringConfigSchema)
            .filter((row) => row.type !== "object")
            .map((row) => row.key)
            .filter((key) => {
                const alert = /^(prometheusRule\.alerts\.\w+)\.(\w+)$/.exec(key);
                if (!alert) return !doc.includes(`\`${key}\``);
                const row = lines.find((line) => line.startsWith(`| \`${alert[1]}\``));
                return !row || (!COMMON_ALERT_FIELDS.includes(alert[2]!) && !row.includes(`\`${alert[2]}\``));
            });
        expect(missing).to.deep.equal([]);
    });

    it("parses Prometheus durations to milliseconds", () => {
        expect(durationMs("1h30m")).to.equal(5_400_000);
        expect(durationMs("250ms")).to.equal(250);
        expect(durationMs("0")).to.equal(0);
        expect(() => durationMs("5 minutes")).to.throw(/not a Prometheus duration/);
    });
});

describe("monitoring resolve and builders", () => {
    it("derives metric names from the prefix, with per-metric overrides", () => {
        expect(metricNames("agent_runtime")).to.include({
            requestsTotal: "agent_runtime_requests_total",
            errorsTotal: "agent_runtime_errors_total",
            requestDurationBucket: "agent_runtime_request_duration_seconds_bucket",
        });
        const resolved = resolveMonitoringArgs(monitoringArgs({ metricPrefix: "robyn", metricNames: { errorsTotal: "robyn_failures_total" } }));
        expect(resolved.metrics.requestsTotal).to.equal("robyn_requests_total");
        expect(resolved.metrics.errorsTotal).to.equal("robyn_failures_total");
    });

    it("matches the workload's own pods and not a neighbour sharing its name prefix", () => {
        const pattern = (kind: "Deployment" | "StatefulSet" | "DaemonSet") => new RegExp(`^(?:${podNamePattern({ kind, name: "agent-runtime" })})$`);
        expect(pattern("Deployment").test("agent-runtime-7d9f8c6b5-x2x7q")).to.equal(true);
        expect(pattern("Deployment").test("agent-runtime-worker-7d9f8c6b5-x2x7q")).to.equal(false);
        expect(pattern("Deployment").test("old-agent-runtime-7d9f8c6b5-x2x7q")).to.equal(false);
        expect(pattern("StatefulSet").test("agent-runtime-0")).to.equal(true);
        expect(pattern("StatefulSet").test("agent-runtime-db-0")).to.equal(false);
        expect(pattern("DaemonSet").test("agent-runtime-x2x7q")).to.equal(true);
        expect(podNamePattern({ kind: "StatefulSet", name: "a.b" })).to.equal("a\\.b-[0-9]+");
    });

    it("labels operator objects with the release (identity labels win over user labels)", () => {
        const resolved = resolveMonitoringArgs(monitoringArgs({ prometheusRelease: "prom", labels: { team: "ai", "app.kubernetes.io/name": "spoofed" } }));
        expect(resolved.operatorLabels).to.include({ release: "prom", team: "ai", "app.kubernetes.io/name": "fractal-agents-runtime" });
        expect(resolved.dashboardLabels).to.include({ grafana_dashboard: "1", team: "ai" });
        expect(resolved.dashboardLabels).not.to.have.property("release");
    });

    it("uses the Service name as the Prometheus job unless the block names another", () => {
        expect(resolveMonitoringArgs(monitoringArgs()).job).to.equal("agent-runtime");
        expect(resolveMonitoringArgs(monitoringArgs({ prometheusRule: { job: "kubernetes-pods" } })).job).to.equal("kubernetes-pods");
    });

    it("refuses a PrometheusRule with every alert of the service disabled, naming the keys", () => {
        const off = { enabled: false };
        const alerts = { down: off, targetDown: off, absent: off, restarts: off, crashLooping: off, errorRatio: off, latencyP95: off };
        expect(() => resolveMonitoringArgs(monitoringArgs({ prometheusRule: { alerts } }, { configPath: "agentRuntime.monitoring" }))).to.throw(
            /`agentRuntime\.monitoring\.prometheusRule\.enabled` is true but every alert of this http service is disabled/,
        );
        // The worker alerts still count for a worker.
        expect(() => resolveMonitoringArgs(monitoringArgs({ prometheusRule: { alerts } }, { profile: "worker" }))).not.to.throw();
    });

    it("refuses an invalid metric prefix from the service, naming the key that overrides it", () => {
        expect(() => resolveMonitoringArgs(monitoringArgs({}, { metricPrefix: "agent-runtime" }))).to.throw(/set `monitoring\.metricPrefix`/);
    });

    it("ServiceMonitor spec: selects the Service by its selector labels and scrapes the named port", () => {
        const spec = buildServiceMonitorSpec(monitoringArgs({ serviceMonitor: { port: "metrics", path: "/prom", interval: "1m", scrapeTimeout: "20s" } }));
        expect(spec).to.deep.equal({
            selector: { matchLabels: { "app.kubernetes.io/name": "fractal-agents-runtime", "app.kubernetes.io/instance": "agent-runtime" } },
            endpoints: [{ port: "metrics", path: "/prom", interval: "1m", scrapeTimeout: "20s", scheme: "http" }],
        });
    });

    it("http services get availability, http and pod groups; workers get the worker group instead", () => {
        const groupsOf = (profile: "http" | "worker") => {
            const args = monitoringArgs({}, { profile });
            return buildRuleGroups(args, resolveMonitoringArgs(args), "agents").map((g) => `${g.name}: ${g.rules.map((r) => r.alert).join(",")}`);
        };
        expect(groupsOf("http")).to.deep.equal([
            "agent-runtime.availability: FractalAgentsRuntimeDown,FractalAgentsRuntimeTargetDown,FractalAgentsRuntimeMetricsAbsent",
            "agent-runtime.http: FractalAgentsRuntimeHighErrorRatio,FractalAgentsRuntimeHighLatencyP95",
            "agent-runtime.pods: FractalAgentsRuntimePodRestartingOften,FractalAgentsRuntimePodCrashLooping",
        ]);
        expect(groupsOf("worker")[1]).to.equal(
            "agent-runtime.worker: FractalAgentsRuntimeQueueBacklog,FractalAgentsRuntimeProcessingLag,FractalAgentsRuntimeNoSuccessfulJobs,FractalAgentsRuntimeHighJobFailureRatio",
        );
    });

    it("every alert has a severity, summary, description and runbook hint; runbook_url when a base URL is set", () => {
        const args = monitoringArgs({ prometheusRule: { runbookBaseUrl: "https://runbooks.example.com/ap/", labels: { team: "ai" } } });
        const rules = buildRuleGroups(args, resolveMonitoringArgs(args), "agents").flatMap((g) => g.rules);
        for (const rule of rules) {
            expect(rule.labels, rule.alert).to.include({ team: "ai" });
            expect(rule.labels["severity"], rule.alert).to.be.oneOf(["critical", "warning", "info"]);
            expect(Object.keys(rule.annotations), rule.alert).to.include.members(["summary", "description", "runbook", "runbook_url"]);
            expect(rule.annotations["runbook_url"]).to.equal(`https://runbooks.example.com/ap/${rule.alert.toLowerCase()}`);
        }
    });

    it("the error ratio aggregates by namespace and job and is guarded against zero traffic", () => {
        const args = monitoringArgs({ prometheusRule: { alerts: { errorRatio: { minRequestsPerSecond: 0.5 } } } });
        const rule = buildRuleGroups(args, resolveMonitoringArgs(args), "agents")
            .flatMap((g) => g.rules)
            .find((r) => r.alert.endsWith("HighErrorRatio"))!;
        expect(rule.expr).to.contain('sum by (namespace, job) (rate(agent_runtime_errors_total{job="agent-runtime", namespace="agents"}[5m]))');
        expect(rule.expr).to.match(/and on \(namespace, job\)\s+sum by \(namespace, job\) \(rate\(agent_runtime_requests_total\{[^}]+\}\[5m\]\)\) > 0\.5$/);
    });

    it("counts errors as 5xx requests when the requests counter has a status label", () => {
        const args = monitoringArgs({ prometheusRule: { alerts: { errorRatio: { statusLabel: "status" } } } });
        const resolved = resolveMonitoringArgs(args);
        const rule = buildRuleGroups(args, resolved, "agents")
            .flatMap((g) => g.rules)
            .find((r) => r.alert.endsWith("HighErrorRatio"))!;
        expect(rule.expr).to.contain('agent_runtime_requests_total{job="agent-runtime", namespace="agents", status=~"5.."}');
        expect(rule.expr).not.to.contain("errors_total");
        const panel = buildMonitoringDashboard(args, resolved, "agents").panels.find((p) => p.title === "Error ratio")!;
        expect(panel.targets[0]!.expr).to.contain('status=~"5.."');
    });

    it("the dashboard uid is stable per service, differs per namespace and fits Grafana's 40 characters", () => {
        expect(dashboardUid("agents", "agent-runtime")).to.equal("agents-agent-runtime");
        expect(dashboardUid("agents", "agent-runtime")).not.to.equal(dashboardUid("agents-dev", "agent-runtime"));
        const long = dashboardUid("a-very-long-namespace-name-for-staging", "agent-runtime");
        expect(long).to.have.length.at.most(40);
        expect(long).to.equal(dashboardUid("a-very-long-namespace-name-for-staging", "agent-runtime"));
        expect(long).not.to.equal(dashboardUid("a-very-long-namespace-name-for-staging", "agent-runtime-2"));
    });
});

describe("Monitoring component", () => {
    const CRD_GROUP = "monitoring.coreos.com/v1";

    it("creates a ServiceMonitor, a PrometheusRule and a dashboard ConfigMap through the provider, all schema-valid", async () => {
        const r = await recordComponents((provider) => new Monitoring("rt-monitoring", monitoringArgs(), { providers: [provider] }));
        expect(r.objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).to.deep.equal([
            "monitoring.coreos.com/v1 PrometheusRule/agents/agent-runtime",
            "monitoring.coreos.com/v1 ServiceMonitor/agents/agent-runtime",
            "v1 ConfigMap/agents/agent-runtime-dashboard",
        ]);
        for (const object of r.objects) await validateAgainstSchema(object);
        const component = r.recording.resources.find((x) => x.type === "agent-platform:monitoring:Monitoring")!;
        for (const child of r.recording.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
            expect(child.parent, child.urn).to.equal(component.urn);
            expect(child.provider, child.urn).to.match(/::test-k8s::/);
            expect(child.name).to.match(/^rt-monitoring-(servicemonitor|prometheusrule|dashboard)$/);
        }
    });

    it("labels the ServiceMonitor and PrometheusRule with the kube-prometheus-stack release", async () => {
        const r = await recordComponents((provider) => new Monitoring("m", monitoringArgs({ prometheusRelease: "monitoring" }), { providers: [provider] }));
        for (const kind of ["ServiceMonitor", "PrometheusRule"]) {
            expect(r.object(kind).metadata.labels).to.include({ release: "monitoring", "app.kubernetes.io/instance": "agent-runtime" });
        }
    });

    it("renders the namespace into every alert expression and the rule groups validate", async () => {
        const r = await recordComponents((provider) => new Monitoring("m", monitoringArgs({}, { namespace: "agents-prod" }), { providers: [provider] }));
        const rule: any = r.object("PrometheusRule");
        const exprs: string[] = rule.spec.groups.flatMap((g: any) => g.rules.map((x: any) => x.expr));
        expect(exprs).to.have.length(7);
        for (const expr of exprs) expect(expr).to.contain('namespace="agents-prod"');
        await validateAgainstSchema(rule);
    });

    it("creates nothing CRD-based when the Prometheus Operator parts are off, and keeps the dashboard", async () => {
        const block = { serviceMonitor: { enabled: false }, prometheusRule: { enabled: false } };
        const r = await recordComponents((provider) => new Monitoring("m", monitoringArgs(block), { providers: [provider] }));
        expect(r.objects.filter((o) => o.apiVersion === CRD_GROUP)).to.deep.equal([]);
        expect(r.recording.resources.filter((x) => x.type.includes("monitoring.coreos.com"))).to.deep.equal([]);
        expect(r.objects.map((o) => o.kind)).to.deep.equal(["ConfigMap"]);
    });

    it("toggles each part on its own", async () => {
        const kinds = async (block: MonitoringConfigInput) =>
            (await recordComponents((provider) => new Monitoring("m", monitoringArgs(block), { providers: [provider] }))).objects.map((o) => o.kind).sort();
        expect(await kinds({ dashboard: { enabled: false } })).to.deep.equal(["PrometheusRule", "ServiceMonitor"]);
        expect(await kinds({ prometheusRule: { enabled: false }, dashboard: { enabled: false } })).to.deep.equal(["ServiceMonitor"]);
        expect(await kinds({ serviceMonitor: { enabled: false }, dashboard: { enabled: false } })).to.deep.equal(["PrometheusRule"]);
    });

    it("creates nothing at all when the block is disabled", async () => {
        const r = await recordComponents((provider) => new Monitoring("m", monitoringArgs({ enabled: false }), { providers: [provider] }));
        expect(r.objects).to.deep.equal([]);
    });

    it("dashboard ConfigMap: sidecar label, folder annotation, one JSON file named by the stable uid", async () => {
        const block = { dashboard: { folder: "Agent Platform", namespace: "monitoring" } };
        const r = await recordComponents((provider) => new Monitoring("m", monitoringArgs(block), { providers: [provider] }));
        const configMap: any = r.object("ConfigMap");
        await validateAgainstSchema(configMap);
        expect(configMap.metadata.namespace).to.equal("monitoring");
        expect(configMap.metadata.labels).to.include({ grafana_dashboard: "1" });
        expect(configMap.metadata.annotations).to.deep.equal({ grafana_folder: "Agent Platform" });
        expect(Object.keys(configMap.data)).to.deep.equal(["agents-agent-runtime.json"]);
        const dashboard = JSON.parse(configMap.data["agents-agent-runtime.json"]);
        expect(dashboard.uid).to.equal("agents-agent-runtime");
        expect(dashboard.templating.list).to.deep.include({
            name: "datasource",
            label: "Data source",
            type: "datasource",
            query: "prometheus",
            current: {},
            hide: 0,
            refresh: 1,
            regex: "",
            options: [],
        });
        expect(dashboard.panels.map((p: any) => p.title)).to.deep.equal([
            "Request rate",
            "Error ratio",
            "Latency",
            "Pod restarts",
            "CPU vs requests",
            "Memory vs requests",
        ]);
    });

    it("dashboard JSON: unique panel ids, non-overlapping grid, every query on the datasource variable, p50/p95/p99", async () => {
        const r = await recordComponents((provider) => new Monitoring("m", monitoringArgs(), { providers: [provider] }));
        const configMap: any = r.object("ConfigMap");
        const dashboard = JSON.parse(Object.values(configMap.data)[0] as string);
        const ids = dashboard.panels.map((p: any) => p.id);
        expect(new Set(ids).size).to.equal(ids.length);
        const cells = dashboard.panels.map((p: any) => `${p.gridPos.x},${p.gridPos.y}`);
        expect(new Set(cells).size).to.equal(cells.length);
        for (const panel of dashboard.panels) {
            expect(panel.datasource).to.deep.equal({ type: "prometheus", uid: "${datasource}" });
            expect(panel.targets.length, panel.title).to.be.greaterThan(0);
            for (const target of panel.targets) expect(target.datasource.uid).to.equal("${datasource}");
        }
        const latency = dashboard.panels.find((p: any) => p.title === "Latency");
        expect(latency.targets.map((t: any) => t.legendFormat)).to.deep.equal(["p50", "p95", "p99"]);
        expect(latency.targets[1].expr).to.equal(
            'histogram_quantile(0.95, sum by (le) (rate(agent_runtime_request_duration_seconds_bucket{job="agent-runtime", namespace="agents"}[$__rate_interval])))',
        );
        const memory = dashboard.panels.find((p: any) => p.title === "Memory vs requests");
        expect(memory.targets.map((t: any) => t.expr).join("\n")).to.contain(
            'kube_pod_container_resource_requests{namespace="agents", pod=~"agent-runtime-[a-z0-9]+-[a-z0-9]+", resource="memory"}',
        );
    });

    it("worker profile: queue and job panels instead of request panels", async () => {
        const r = await recordComponents((provider) => new Monitoring("m", monitoringArgs({}, { profile: "worker" }), { providers: [provider] }));
        const dashboard = JSON.parse(Object.values((r.object("ConfigMap") as any).data)[0] as string);
        expect(dashboard.panels.map((p: any) => p.title)).to.deep.equal([
            "Queue depth",
            "Oldest waiting job",
            "Jobs finished",
            "Pod restarts",
            "CPU vs requests",
            "Memory vs requests",
        ]);
        for (const object of r.objects) await validateAgainstSchema(object);
    });

    it("fails before creating anything when the args are inconsistent", async () => {
        const off = { enabled: false };
        const alerts = { down: off, targetDown: off, absent: off, restarts: off, crashLooping: off, errorRatio: off, latencyP95: off };
        let error: Error | undefined;
        try {
            await recordComponents((provider) => new Monitoring("m", monitoringArgs({ prometheusRule: { alerts } }), { providers: [provider] }));
        } catch (err) {
            error = err as Error;
        }
        expect(error?.message).to.match(/monitoring\.prometheusRule\.enabled/);
    });
});
