/**
 * The alert rule groups of one service, as plain objects (the PrometheusRule's
 * `spec.groups`, and the same shape promtool reads from a rules file).
 *
 * Every ratio is aggregated with `sum by (namespace, job)` before dividing, and guarded so
 * a quiet service (zero requests) never turns into a division by zero that fires.
 */
import type { AlertsConfig, Severity } from "./schema";
import { MonitoringProfile, QueryTarget, podSelector, quote, serviceSelector } from "./promql";

export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
}

export interface RuleGroup {
    name: string;
    interval?: string;
    rules: AlertRule[];
}

export interface AlertGroupsArgs {
    target: QueryTarget;
    profile: MonitoringProfile;
    alerts: AlertsConfig;
    /** PascalCase prefix of every alert name, e.g. `FractalAgentsRuntime`. */
    alertPrefix: string;
    /** Prefix of the group names, e.g. the instance `agent-runtime`. */
    groupPrefix: string;
    /** Extra labels on every alert. */
    labels: Record<string, string>;
    runbookBaseUrl?: string;
    interval?: string;
}

/** Window of the rate()s in ratio and latency alerts: long enough to smooth scrape jitter. */
const RATE_WINDOW = "5m";
/** Window of the job failure ratio: jobs are rarer than requests. */
const JOB_WINDOW = "15m";

/** `0.05` -> `5`, without binary-float noise such as `7.000000000000001`. */
const percent = (fraction: number) => String(Number((fraction * 100).toFixed(6)));

const BY = "by (namespace, job)";
const ON = "on (namespace, job)";

interface AlertText {
    summary: string;
    description: string;
    /** What to look at first; always present, so every alert has a runbook hint. */
    runbook: string;
}

function rule(args: AlertGroupsArgs, name: string, expr: string, settings: { for: string; severity: Severity }, text: AlertText): AlertRule {
    const alert = `${args.alertPrefix}${name}`;
    const base = args.runbookBaseUrl?.replace(/\/+$/, "");
    return {
        alert,
        expr,
        for: settings.for,
        labels: { ...args.labels, severity: settings.severity },
        annotations: {
            summary: text.summary,
            description: text.description,
            runbook: text.runbook,
            ...(base ? { runbook_url: `${base}/${alert.toLowerCase()}` } : {}),
        },
    };
}

/** Alerts every scraped service has: all targets down, one target down, no target at all. */
function availabilityRules(args: AlertGroupsArgs): AlertRule[] {
    const { target, alerts } = args;
    const up = `up${serviceSelector(target)}`;
    const rules: AlertRule[] = [];
    if (alerts.down.enabled) {
        rules.push(
            rule(args, "Down", `max ${BY} (${up}) == 0`, alerts.down, {
                summary: `${target.job} is down`,
                description: "Every scrape target of {{ $labels.namespace }}/{{ $labels.job }} has been down for " + alerts.down.for + ".",
                runbook: "kubectl get pods,endpoints in the namespace; check pod events and logs, then readiness of the metrics port.",
            }),
        );
    }
    if (alerts.targetDown.enabled) {
        rules.push(
            rule(args, "TargetDown", `${up} == 0`, alerts.targetDown, {
                summary: `One ${target.job} target is down`,
                description:
                    "Target {{ $labels.instance }} of {{ $labels.namespace }}/{{ $labels.job }} has failed its scrapes for " + alerts.targetDown.for + ".",
                runbook: "Find the pod behind {{ $labels.instance }}; check its logs and whether it is overloaded or stuck.",
            }),
        );
    }
    if (alerts.absent.enabled) {
        rules.push(
            rule(args, "MetricsAbsent", `absent(${up})`, alerts.absent, {
                summary: `Prometheus scrapes no ${target.job} target`,
                description: `No target with job="${target.job}" in namespace ${target.namespace} for ${alerts.absent.for}: the service has no ready pods, or Prometheus does not select its ServiceMonitor.`,
                runbook: "Check the workload has ready pods; check the ServiceMonitor's `release` label matches the Prometheus serviceMonitorSelector.",
            }),
        );
    }
    return rules;
}

/** HTTP services: 5xx error ratio and p95 latency. */
function httpRules(args: AlertGroupsArgs): AlertRule[] {
    const { target, alerts } = args;
    const m = target.metrics;
    const rules: AlertRule[] = [];
    const er = alerts.errorRatio;
    if (er.enabled) {
        const requests = `sum ${BY} (rate(${m.requestsTotal}${serviceSelector(target)}[${RATE_WINDOW}]))`;
        const errors = er.statusLabel
            ? `sum ${BY} (rate(${m.requestsTotal}${serviceSelector(target, `${er.statusLabel}=~${quote("5..")}`)}[${RATE_WINDOW}]))`
            : `sum ${BY} (rate(${m.errorsTotal}${serviceSelector(target)}[${RATE_WINDOW}]))`;
        // The `and` keeps the ratio only where requests flowed: errors over zero requests would be +Inf.
        const expr = `(\n  ${errors}\n/\n  ${requests}\n) > ${er.threshold}\nand ${ON}\n  ${requests} > ${er.minRequestsPerSecond}`;
        rules.push(
            rule(args, "HighErrorRatio", expr, er, {
                summary: `${target.job} fails more than ${percent(er.threshold)}% of requests`,
                description:
                    "{{ $value | humanizePercentage }} of requests to {{ $labels.namespace }}/{{ $labels.job }} failed over the last " + RATE_WINDOW + ".",
                runbook: "Look at the service's error logs and its dependencies (database, LLM provider); roll back a recent release if it started with one.",
            }),
        );
    }
    const lat = alerts.latencyP95;
    if (lat.enabled) {
        const expr = `histogram_quantile(0.95, sum by (namespace, job, le) (rate(${m.requestDurationBucket}${serviceSelector(target)}[${RATE_WINDOW}]))) > ${lat.thresholdSeconds}`;
        rules.push(
            rule(args, "HighLatencyP95", expr, lat, {
                summary: `${target.job} p95 latency above ${lat.thresholdSeconds}s`,
                description:
                    "p95 request duration of {{ $labels.namespace }}/{{ $labels.job }} is {{ $value | humanizeDuration }} over the last " + RATE_WINDOW + ".",
                runbook: "Check CPU throttling and memory of the pods, database pool saturation and upstream (LLM) latency; scale out if saturated.",
            }),
        );
    }
    return rules;
}

/** Restart and crash-loop alerts from kube-state-metrics, for this workload's pods only. */
function podRules(args: AlertGroupsArgs): AlertRule[] {
    const { target, alerts } = args;
    const rules: AlertRule[] = [];
    if (alerts.restarts.enabled) {
        const expr = `increase(kube_pod_container_status_restarts_total${podSelector(target)}[1h]) > ${alerts.restarts.maxPerHour}`;
        rules.push(
            rule(args, "PodRestartingOften", expr, alerts.restarts, {
                summary: `${target.job} pods restart often`,
                description:
                    "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value | humanize }} times in the last hour.",
                runbook: "kubectl describe pod / kubectl logs --previous: look for OOMKilled (raise the memory limit) or failing liveness probes.",
            }),
        );
    }
    if (alerts.crashLooping.enabled) {
        const expr = `max_over_time(kube_pod_container_status_waiting_reason${podSelector(target, `reason=${quote("CrashLoopBackOff")}`)}[5m]) >= 1`;
        rules.push(
            rule(args, "PodCrashLooping", expr, alerts.crashLooping, {
                summary: `${target.job} pod is crash looping`,
                description:
                    "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for " +
                    alerts.crashLooping.for +
                    ".",
                runbook: "kubectl logs --previous on the container; a config or secret error at startup is the usual cause.",
            }),
        );
    }
    return rules;
}

/** Queue workers: backlog, lag, no progress, failing jobs. */
function workerRules(args: AlertGroupsArgs): AlertRule[] {
    const { target, alerts } = args;
    const m = target.metrics;
    const sel = serviceSelector(target);
    const depth = `sum ${BY} (${m.queueDepth}${sel})`;
    const rules: AlertRule[] = [];
    if (alerts.queueDepth.enabled) {
        rules.push(
            rule(args, "QueueBacklog", `${depth} > ${alerts.queueDepth.threshold}`, alerts.queueDepth, {
                summary: `${target.job} queue backlog above ${alerts.queueDepth.threshold}`,
                description: "{{ $value }} jobs are waiting for {{ $labels.namespace }}/{{ $labels.job }}.",
                runbook: "Check the workers are processing (logs, NoSuccessfulJobs alert); scale out workers if they are healthy but saturated.",
            }),
        );
    }
    if (alerts.processingLag.enabled) {
        const expr = `max ${BY} (${m.oldestJobAgeSeconds}${sel}) > ${alerts.processingLag.thresholdSeconds}`;
        rules.push(
            rule(args, "ProcessingLag", expr, alerts.processingLag, {
                summary: `${target.job} jobs wait longer than ${alerts.processingLag.thresholdSeconds}s`,
                description: "The oldest waiting job of {{ $labels.namespace }}/{{ $labels.job }} has waited {{ $value | humanizeDuration }}.",
                runbook: "Check for stuck jobs holding the workers and for a backlog; scale out workers if they are saturated.",
            }),
        );
    }
    const ns = alerts.noSuccessfulJobs;
    if (ns.enabled) {
        // A worker that never succeeded may not export the counter at all: `or … * 0` makes that a zero.
        const succeeded = `sum ${BY} (increase(${m.jobsSucceededTotal}${sel}[${ns.window}]))`;
        const expr = `(\n  ${succeeded}\nor\n  ${depth} * 0\n) == 0\nand ${ON}\n  ${depth} > 0`;
        rules.push(
            rule(args, "NoSuccessfulJobs", expr, ns, {
                summary: `${target.job} finished no job in ${ns.window} while jobs are waiting`,
                description: "{{ $labels.namespace }}/{{ $labels.job }} has waiting jobs but no job succeeded in the last " + ns.window + ".",
                runbook: "Workers are stuck or every job fails: check worker logs, their connection to the job source and the failure ratio.",
            }),
        );
    }
    const fr = alerts.jobFailureRatio;
    if (fr.enabled) {
        const failed = `sum ${BY} (rate(${m.jobsFailedTotal}${sel}[${JOB_WINDOW}]))`;
        const succeeded = `sum ${BY} (rate(${m.jobsSucceededTotal}${sel}[${JOB_WINDOW}]))`;
        // Failures are part of the denominator, so it is never below the numerator (no +Inf); 0/0 is NaN, which never compares true.
        const expr = `${failed}\n/\n(\n  ${failed}\n+\n  (${succeeded} or ${failed} * 0)\n) > ${fr.threshold}`;
        rules.push(
            rule(args, "HighJobFailureRatio", expr, fr, {
                summary: `${target.job} fails more than ${percent(fr.threshold)}% of jobs`,
                description:
                    "{{ $value | humanizePercentage }} of the jobs {{ $labels.namespace }}/{{ $labels.job }} finished in the last " + JOB_WINDOW + " failed.",
                runbook: "Read the failed jobs' logs; a shared cause (credentials, quota, image) usually shows in the first one.",
            }),
        );
    }
    return rules;
}

/** The rule groups of a service: availability, its profile's own signals, and its pods. Empty groups are left out. */
export function buildAlertGroups(args: AlertGroupsArgs): RuleGroup[] {
    const groups: RuleGroup[] = [
        { name: `${args.groupPrefix}.availability`, rules: availabilityRules(args) },
        args.profile === "http"
            ? { name: `${args.groupPrefix}.http`, rules: httpRules(args) }
            : { name: `${args.groupPrefix}.worker`, rules: workerRules(args) },
        { name: `${args.groupPrefix}.pods`, rules: podRules(args) },
    ];
    return groups.filter((g) => g.rules.length > 0).map((g) => (args.interval ? { ...g, interval: args.interval } : g));
}
