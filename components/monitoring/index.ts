/**
 * Monitoring: the ServiceMonitor, PrometheusRule and Grafana dashboard ConfigMap of one
 * service. Every service component creates one of these instead of building monitoring
 * objects by hand.
 *
 * The two Prometheus Operator objects are custom resources: a cluster without the operator's
 * CRDs turns them off (`serviceMonitor.enabled` / `prometheusRule.enabled: false`) and then
 * nothing CRD-based is created. The dashboard is a plain ConfigMap and works everywhere.
 * Alert rules live in ./monitoring/alerts.ts, the dashboard in ./monitoring/dashboard.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildAlertGroups, RuleGroup } from "./alerts";
import { buildDashboard, Dashboard } from "./dashboard";
import { MetricNames, metricNames, MonitoringProfile, podNamePattern, QueryTarget, WorkloadRef } from "./promql";
import { AppIdentity, objectLabels, selectorLabels } from "../pod";
import { durationMs, MonitoringConfig } from "./schema";

export type { AlertRule, RuleGroup } from "./alerts";
export type { Dashboard, DashboardPanel } from "./dashboard";
export type { MetricNames, MonitoringProfile, WorkloadKind, WorkloadRef } from "./promql";
export type { MonitoringConfig, MonitoringConfigInput } from "./schema";

export const PROMETHEUS_OPERATOR_API_VERSION = "monitoring.coreos.com/v1";

export interface MonitoringArgs {
    /** The service's `monitoring` block, validated and defaulted by `monitoringConfigSchema`. */
    config: MonitoringConfig;
    /** Who the service is: labels on every object, and the Service selector the ServiceMonitor uses. */
    identity: AppIdentity;
    /** Namespace of the service. */
    namespace: pulumi.Input<string>;
    /** Name of the Service with the metrics port; a ServiceMonitor gives its targets this `job` label. */
    serviceName: string;
    /** The workload whose pods the restart alerts and the resource panels watch. */
    workload: WorkloadRef;
    /** The service's metric prefix, used when the block sets no `metricPrefix`, e.g. `agent_runtime`. */
    metricPrefix: string;
    /**
     * Which signals the service has: `http` (requests, errors, latency) or a queue `worker`
     * (backlog, lag, job outcomes).
     * @default "http"
     */
    profile?: MonitoringProfile;
    /**
     * PascalCase prefix of every alert name.
     * @default PascalCase of `identity.name`, e.g. `FractalAgentsRuntime`
     */
    alertPrefix?: string;
    /**
     * Where the block sits in the stack config, for error messages.
     * @default "monitoring"
     */
    configPath?: string;
    /** What installs the Prometheus Operator CRDs (e.g. the add-on chart); the custom resources wait for it. @default [] */
    crdsReady?: pulumi.Resource[];
}

/** What the builders need, derived once from the args; `namespace` is added when it is known. */
export interface ResolvedMonitoring {
    createServiceMonitor: boolean;
    createPrometheusRule: boolean;
    createDashboard: boolean;
    profile: MonitoringProfile;
    name: string;
    job: string;
    podPattern: string;
    metrics: MetricNames;
    alertPrefix: string;
    /** Labels of the ServiceMonitor and PrometheusRule (with the kube-prometheus-stack `release`). */
    operatorLabels: Record<string, string>;
    /** Labels of the dashboard ConfigMap (with the Grafana sidecar label). */
    dashboardLabels: Record<string, string>;
}

const pascalCase = (name: string) =>
    name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((part) => part[0]!.toUpperCase() + part.slice(1))
        .join("");

const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Applies defaults and rejects combinations that would create a useless or broken object. */
export function resolveMonitoringArgs(args: MonitoringArgs): ResolvedMonitoring {
    const { config } = args;
    const at = args.configPath ?? "monitoring";
    const profile = args.profile ?? "http";
    const alertPrefix = args.alertPrefix ?? pascalCase(args.identity.name);
    if (!ALERT_NAME.test(alertPrefix)) throw new Error(`alert prefix '${alertPrefix}' is not a valid alert name (letters, digits, '_')`);
    const enabled = config.enabled;
    const createPrometheusRule = enabled && config.prometheusRule.enabled;
    if (createPrometheusRule) {
        const a = config.prometheusRule.alerts;
        const profileAlerts = profile === "http" ? [a.errorRatio, a.latencyP95] : [a.queueDepth, a.processingLag, a.noSuccessfulJobs, a.jobFailureRatio];
        const any = [a.down, a.targetDown, a.absent, a.restarts, a.crashLooping, ...profileAlerts].some((alert) => alert.enabled);
        if (!any) {
            throw new Error(
                `\`${at}.prometheusRule.enabled\` is true but every alert of this ${profile} service is disabled under \`${at}.prometheusRule.alerts\`; enable an alert or set \`${at}.prometheusRule.enabled: false\``,
            );
        }
    }
    const prefix = config.metricPrefix ?? args.metricPrefix;
    if (!METRIC_NAME.test(prefix)) throw new Error(`metric prefix '${prefix}' is not a valid Prometheus metric name (set \`${at}.metricPrefix\`)`);
    const sm = config.serviceMonitor;
    if (enabled && sm.enabled && durationMs(sm.scrapeTimeout) > durationMs(sm.interval)) {
        throw new Error(`\`${at}.serviceMonitor.scrapeTimeout\` (${sm.scrapeTimeout}) must not exceed \`${at}.serviceMonitor.interval\` (${sm.interval})`);
    }
    const identityLabels = objectLabels(args.identity);
    return {
        createServiceMonitor: enabled && sm.enabled,
        createPrometheusRule,
        createDashboard: enabled && config.dashboard.enabled,
        profile,
        name: args.identity.instance,
        job: config.prometheusRule.job ?? args.serviceName,
        podPattern: podNamePattern(args.workload),
        metrics: metricNames(prefix, config.metricNames),
        alertPrefix,
        // The identity labels win over user labels: selectors elsewhere rely on them.
        operatorLabels: { ...config.labels, release: config.prometheusRelease, ...identityLabels },
        dashboardLabels: { ...config.labels, ...identityLabels, [config.dashboard.sidecarLabel]: config.dashboard.sidecarLabelValue },
    };
}

function queryTarget(resolved: ResolvedMonitoring, namespace: string): QueryTarget {
    return { namespace, job: resolved.job, podPattern: resolved.podPattern, metrics: resolved.metrics };
}

/** The ServiceMonitor's spec: the Service selected by its selector labels, the metrics port by name. */
export function buildServiceMonitorSpec(args: MonitoringArgs): Record<string, unknown> {
    const sm = args.config.serviceMonitor;
    return {
        selector: { matchLabels: selectorLabels(args.identity) },
        endpoints: [{ port: sm.port, path: sm.path, interval: sm.interval, scrapeTimeout: sm.scrapeTimeout, scheme: "http" }],
    };
}

/** The rule groups of the PrometheusRule for a service in `namespace`. */
export function buildRuleGroups(args: MonitoringArgs, resolved: ResolvedMonitoring, namespace: string): RuleGroup[] {
    const rule = args.config.prometheusRule;
    return buildAlertGroups({
        target: queryTarget(resolved, namespace),
        profile: resolved.profile,
        alerts: rule.alerts,
        alertPrefix: resolved.alertPrefix,
        groupPrefix: resolved.name,
        labels: rule.labels,
        runbookBaseUrl: rule.runbookBaseUrl,
        interval: rule.interval,
    });
}

export function buildMonitoringDashboard(args: MonitoringArgs, resolved: ResolvedMonitoring, namespace: string): Dashboard {
    return buildDashboard({
        target: queryTarget(resolved, namespace),
        profile: resolved.profile,
        instance: args.identity.instance,
        application: args.identity.name,
        statusLabel: args.config.prometheusRule.alerts.errorRatio.statusLabel,
    });
}

/** The dashboard ConfigMap's annotations: the Grafana folder, when one is set. */
export function dashboardAnnotations(config: MonitoringConfig): Record<string, string> | undefined {
    return config.dashboard.folder ? { [config.dashboard.folderAnnotation]: config.dashboard.folder } : undefined;
}

export class Monitoring extends pulumi.ComponentResource {
    /** Name of the ServiceMonitor, when one is created. */
    readonly serviceMonitorName?: pulumi.Output<string>;
    /** Name of the PrometheusRule, when one is created. */
    readonly prometheusRuleName?: pulumi.Output<string>;
    /** Grafana uid of the dashboard, when one is created. */
    readonly dashboardUid?: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:monitoring:Monitoring", name, {}, opts);
        const resolved = resolveMonitoringArgs(args);
        const namespace = pulumi.output(args.namespace);

        if (resolved.createServiceMonitor) {
            const monitor = new k8s.apiextensions.CustomResource(
                `${name}-servicemonitor`,
                {
                    apiVersion: PROMETHEUS_OPERATOR_API_VERSION,
                    kind: "ServiceMonitor",
                    metadata: { name: resolved.name, namespace: args.namespace, labels: resolved.operatorLabels },
                    spec: buildServiceMonitorSpec(args),
                },
                { parent: this, dependsOn: args.crdsReady ?? [] },
            );
            this.serviceMonitorName = monitor.metadata.name;
        }

        if (resolved.createPrometheusRule) {
            const rule = new k8s.apiextensions.CustomResource(
                `${name}-prometheusrule`,
                {
                    apiVersion: PROMETHEUS_OPERATOR_API_VERSION,
                    kind: "PrometheusRule",
                    metadata: { name: resolved.name, namespace: args.namespace, labels: resolved.operatorLabels },
                    spec: { groups: namespace.apply((ns) => buildRuleGroups(args, resolved, ns)) },
                },
                { parent: this, dependsOn: args.crdsReady ?? [] },
            );
            this.prometheusRuleName = rule.metadata.name;
        }

        if (resolved.createDashboard) {
            const dashboard = namespace.apply((ns) => buildMonitoringDashboard(args, resolved, ns));
            new k8s.core.v1.ConfigMap(
                `${name}-dashboard`,
                {
                    metadata: {
                        name: `${resolved.name}-dashboard`,
                        namespace: args.config.dashboard.namespace ?? args.namespace,
                        labels: resolved.dashboardLabels,
                        annotations: dashboardAnnotations(args.config),
                    },
                    // The sidecar writes each key as a file into one shared folder: the uid keeps keys unique across namespaces.
                    data: dashboard.apply((d) => ({ [`${d.uid}.json`]: JSON.stringify(d, null, 2) })),
                },
                { parent: this },
            );
            this.dashboardUid = dashboard.apply((d) => d.uid);
        }

        const outputs = { serviceMonitorName: this.serviceMonitorName, prometheusRuleName: this.prometheusRuleName, dashboardUid: this.dashboardUid };
        // Only the parts that exist: an undefined output is noise in the engine's log.
        this.registerOutputs(Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined)));
    }
}
