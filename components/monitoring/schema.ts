/**
 * The config fragment of the monitoring building block, embedded under each service's block
 * (e.g. `agentRuntime.monitoring`). Every default lives here; the component only derives.
 *
 * Three independent parts: a ServiceMonitor and a PrometheusRule (both Prometheus Operator
 * custom resources, so both can be turned off on clusters without its CRDs) and a Grafana
 * dashboard ConfigMap (a plain ConfigMap, picked up by the Grafana sidecar).
 */
import { z } from "zod";

/** Prometheus duration (`30s`, `5m`, `1h30m`, `0`), the syntax `for`, intervals and ranges use. */
const DURATION_PATTERN = /^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;
const isDuration = (d: string) => d !== "" && DURATION_PATTERN.test(d);
const UNIT_MS: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds of a Prometheus duration; throws on anything else. */
export function durationMs(duration: string): number {
    if (!isDuration(duration)) throw new Error(`'${duration}' is not a Prometheus duration`);
    let total = 0;
    for (const [, amount, unit] of duration.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(amount) * UNIT_MS[unit!]!;
    return total;
}

const duration = (description: string) =>
    z
        .string()
        .refine(isDuration, "must be a Prometheus duration such as 30s, 5m, 1h or 1h30m")
        .meta({ description, allowed: "a Prometheus duration such as 30s, 5m, 1h, 1h30m (units y, w, d, h, m, s, ms)" });

const positiveDuration = (description: string) => duration(description).refine((d) => !isDuration(d) || durationMs(d) > 0, "must be longer than zero");

const metricName = (description: string) =>
    z
        .string()
        .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a Prometheus metric name")
        .meta({ description, allowed: "a Prometheus metric name: letters, digits, '_' and ':', not starting with a digit" });

/** Kubernetes label key (optional DNS prefix + name) and value. */
const K8S_LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const K8S_LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const k8sLabelValue = (description: string) =>
    z.string().regex(K8S_LABEL_VALUE, "must be a Kubernetes label value").meta({
        description,
        allowed: "at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric",
    });
const k8sLabels = (description: string) =>
    z.record(z.string().regex(K8S_LABEL_KEY, "must be a Kubernetes label key"), k8sLabelValue("Label value.")).default({}).meta({ description });

const severity = z.enum(["critical", "warning", "info"]).meta({ description: "Value of the alert's `severity` label, which Alertmanager routes on." });

/** The fields every alert has; spread into each alert's block. */
function alertBase(defaults: { for: string; severity: "critical" | "warning" | "info" }) {
    return {
        enabled: z.boolean().default(true).meta({ description: "Create this alert." }),
        for: duration("How long the condition must hold before the alert fires.").default(defaults.for),
        severity: severity.default(defaults.severity),
    };
}

const ratio = (description: string) => z.number().gt(0).max(1).meta({ description, allowed: "a fraction greater than 0 and at most 1, e.g. 0.05 for 5%" });

const alertsBlock = z
    .strictObject({
        down: z
            .strictObject(alertBase({ for: "5m", severity: "critical" }))
            .prefault({})
            .meta({ description: "Every scrape target of the service is down (`up == 0` for all of them)." }),
        targetDown: z
            .strictObject(alertBase({ for: "15m", severity: "warning" }))
            .prefault({})
            .meta({ description: "One scrape target (pod) is down while others may still serve." }),
        absent: z
            .strictObject(alertBase({ for: "10m", severity: "warning" }))
            .prefault({})
            .meta({ description: "Prometheus has no target for the service at all (`absent(up{...})`): no pods, or the ServiceMonitor is not selected." }),
        errorRatio: z
            .strictObject({
                ...alertBase({ for: "10m", severity: "warning" }),
                threshold: ratio("Share of failed requests above which the alert fires.").default(0.05),
                minRequestsPerSecond: z
                    .number()
                    .min(0)
                    .default(0)
                    .meta({ description: "Traffic (requests/s) below which the ratio is not judged, so one failure in a quiet hour does not page." }),
                statusLabel: z
                    .string()
                    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name")
                    .meta({
                        description:
                            "Label of the requests counter holding the HTTP status; when set, errors are requests with a 5xx status. Unset: errors are the `errorsTotal` counter.",
                    })
                    .optional(),
            })
            .prefault({})
            .meta({ description: "HTTP services: share of requests that failed, over 5 minutes." }),
        latencyP95: z
            .strictObject({
                ...alertBase({ for: "10m", severity: "warning" }),
                thresholdSeconds: z.number().gt(0).default(10).meta({ description: "p95 request duration (seconds) above which the alert fires." }),
            })
            .prefault({})
            .meta({ description: "HTTP services: 95th percentile request duration from the duration histogram, over 5 minutes." }),
        restarts: z
            .strictObject({
                ...alertBase({ for: "5m", severity: "warning" }),
                maxPerHour: z.number().int().min(1).default(3).meta({ description: "Container restarts within one hour above which the alert fires." }),
            })
            .prefault({})
            .meta({ description: "A pod of this workload restarts often (kube-state-metrics `kube_pod_container_status_restarts_total`)." }),
        crashLooping: z
            .strictObject(alertBase({ for: "15m", severity: "critical" }))
            .prefault({})
            .meta({ description: "A container of this workload is waiting in CrashLoopBackOff (kube-state-metrics)." }),
        queueDepth: z
            .strictObject({
                ...alertBase({ for: "15m", severity: "warning" }),
                threshold: z.number().int().min(1).default(100).meta({ description: "Queued jobs above which the alert fires." }),
            })
            .prefault({})
            .meta({ description: "Workers: the queue keeps more than `threshold` jobs waiting." }),
        processingLag: z
            .strictObject({
                ...alertBase({ for: "10m", severity: "warning" }),
                thresholdSeconds: z.number().gt(0).default(600).meta({ description: "Age (seconds) of the oldest waiting job above which the alert fires." }),
            })
            .prefault({})
            .meta({ description: "Workers: the oldest waiting job has waited too long." }),
        noSuccessfulJobs: z
            .strictObject({
                ...alertBase({ for: "15m", severity: "critical" }),
                window: positiveDuration("Window in which at least one job must succeed while jobs are waiting.").default("1h"),
            })
            .prefault({})
            .meta({ description: "Workers: jobs are waiting but none succeeded within `window` (an idle, empty queue never fires)." }),
        jobFailureRatio: z
            .strictObject({
                ...alertBase({ for: "15m", severity: "warning" }),
                threshold: ratio("Share of finished jobs that failed above which the alert fires.").default(0.1),
            })
            .prefault({})
            .meta({ description: "Workers: share of finished jobs that failed, over 15 minutes." }),
    })
    .prefault({})
    .meta({
        description:
            "One block per alert. `down`, `targetDown`, `absent`, `restarts` and `crashLooping` apply to every service; `errorRatio` and `latencyP95` to HTTP services; `queueDepth`, `processingLag`, `noSuccessfulJobs` and `jobFailureRatio` to workers.",
    });

const serviceMonitorBlock = z
    .strictObject({
        enabled: z.boolean().default(true).meta({ description: "Create the ServiceMonitor (needs the Prometheus Operator CRDs)." }),
        port: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, "must be a port name (IANA_SVC_NAME)")
            .default("http")
            .meta({ description: "Name of the Service port that serves metrics.", allowed: "a port name: at most 15 lowercase letters, digits and '-'" }),
        path: z
            .string()
            .regex(/^\/\S*$/, "must start with '/' and contain no spaces")
            .default("/metrics")
            .meta({ description: "HTTP path of the metrics endpoint." }),
        interval: positiveDuration("Scrape interval.").default("30s"),
        scrapeTimeout: positiveDuration("Scrape timeout; at most `interval`.").default("10s"),
    })
    .superRefine((sm, ctx) => {
        if (isDuration(sm.interval) && isDuration(sm.scrapeTimeout) && durationMs(sm.scrapeTimeout) > durationMs(sm.interval)) {
            ctx.addIssue({
                code: "custom",
                path: ["scrapeTimeout"],
                message: `\`serviceMonitor.scrapeTimeout\` (${sm.scrapeTimeout}) must not exceed \`serviceMonitor.interval\` (${sm.interval}); Prometheus rejects such a target`,
            });
        }
    })
    .prefault({})
    .meta({ description: "The ServiceMonitor that makes Prometheus scrape the service's metrics port." });

const prometheusRuleBlock = z
    .strictObject({
        enabled: z.boolean().default(true).meta({ description: "Create the PrometheusRule with the alerts (needs the Prometheus Operator CRDs)." }),
        job: z
            .string()
            .min(1)
            .meta({
                description:
                    "Prometheus `job` label of the service's targets; default the Service name, which is what a ServiceMonitor produces. Set it when another scrape config collects the metrics.",
            })
            .optional(),
        interval: positiveDuration("Evaluation interval of the rule groups; default Prometheus' global one.").optional(),
        runbookBaseUrl: z
            .url("must be an http(s) URL")
            .meta({
                description:
                    "Base URL of the runbooks; each alert gets `runbook_url: <base>/<alert-name-in-lowercase>`. Every alert carries a `runbook` hint either way.",
            })
            .optional(),
        labels: z
            .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name"), z.string().meta({ description: "Label value." }))
            .default({})
            .meta({ description: "Extra labels on every alert (e.g. `team`), for Alertmanager routing." }),
        alerts: alertsBlock,
    })
    .prefault({})
    .meta({ description: "The PrometheusRule with the service's alerts." });

const dashboardBlock = z
    .strictObject({
        enabled: z.boolean().default(true).meta({ description: "Create the Grafana dashboard ConfigMap." }),
        namespace: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label")
            .meta({ description: "Namespace of the ConfigMap; default the service's. Set it when the Grafana sidecar only watches its own namespace." })
            .optional(),
        folder: z
            .string()
            .min(1)
            .meta({ description: "Grafana folder, written to the `folderAnnotation` annotation (the sidecar needs `folderAnnotation` set to read it)." })
            .optional(),
        folderAnnotation: z
            .string()
            .regex(K8S_LABEL_KEY, "must be an annotation key")
            .default("grafana_folder")
            .meta({ description: "Annotation the Grafana sidecar reads the folder from." }),
        sidecarLabel: z
            .string()
            .regex(K8S_LABEL_KEY, "must be a label key")
            .default("grafana_dashboard")
            .meta({ description: "Label the Grafana sidecar selects dashboard ConfigMaps by." }),
        sidecarLabelValue: k8sLabelValue("Value of `sidecarLabel`.").default("1"),
    })
    .prefault({})
    .meta({ description: "The Grafana dashboard, as a ConfigMap the Grafana sidecar loads." });

const metricNamesBlock = z
    .strictObject({
        requestsTotal: metricName("Counter of handled requests; default `<prefix>_requests_total`.").optional(),
        errorsTotal: metricName("Counter of failed requests; default `<prefix>_errors_total`.").optional(),
        requestDurationBucket: metricName(
            "Buckets of the request duration histogram (seconds); default `<prefix>_request_duration_seconds_bucket`.",
        ).optional(),
        queueDepth: metricName("Gauge of waiting jobs; default `<prefix>_queue_depth`.").optional(),
        oldestJobAgeSeconds: metricName("Gauge of the oldest waiting job's age in seconds; default `<prefix>_queue_oldest_job_age_seconds`.").optional(),
        jobsSucceededTotal: metricName("Counter of jobs that succeeded; default `<prefix>_jobs_succeeded_total`.").optional(),
        jobsFailedTotal: metricName("Counter of jobs that failed; default `<prefix>_jobs_failed_total`.").optional(),
    })
    .prefault({})
    .meta({ description: "Per-metric name overrides, for services whose metrics do not follow `<prefix>_...`." });

export const monitoringConfigSchema = z
    .strictObject({
        enabled: z.boolean().default(true).meta({ description: "Create any monitoring object; false turns the whole block off." }),
        prometheusRelease: k8sLabelValue(
            "Value of the `release` label on the ServiceMonitor and PrometheusRule: kube-prometheus-stack only selects objects labelled with its Helm release name.",
        ).default("kube-prometheus-stack"),
        labels: k8sLabels("Extra labels on every monitoring object (e.g. for a Prometheus with its own selector)."),
        metricPrefix: metricName("Prefix of the service's metric names; default the service's own (e.g. `agent_runtime`).").optional(),
        metricNames: metricNamesBlock,
        serviceMonitor: serviceMonitorBlock,
        prometheusRule: prometheusRuleBlock,
        dashboard: dashboardBlock,
    })
    .meta({ description: "Monitoring: ServiceMonitor, PrometheusRule alerts and a Grafana dashboard." });

export type MonitoringConfigInput = z.input<typeof monitoringConfigSchema>;
export type MonitoringConfig = z.output<typeof monitoringConfigSchema>;
export type AlertsConfig = MonitoringConfig["prometheusRule"]["alerts"];
export type Severity = z.output<typeof severity>;
