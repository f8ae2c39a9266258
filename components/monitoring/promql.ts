/**
 * The facts every PromQL expression of a service is built from, and the small helpers that
 * quote them safely. Shared by the alerts and the dashboard so both watch the same series.
 */

/** Which signals a service has: HTTP request metrics, or a queue worker's job metrics. */
export type MonitoringProfile = "http" | "worker";

/** Full metric names of one service. */
export interface MetricNames {
    requestsTotal: string;
    errorsTotal: string;
    requestDurationBucket: string;
    queueDepth: string;
    oldestJobAgeSeconds: string;
    jobsSucceededTotal: string;
    jobsFailedTotal: string;
}

/** The workload kinds whose pod names we can match exactly. */
export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet";

export interface WorkloadRef {
    kind: WorkloadKind;
    /** Name of the Deployment/StatefulSet/DaemonSet; its pods are named after it. */
    name: string;
}

/** Everything a query needs to select exactly this service's series. */
export interface QueryTarget {
    namespace: string;
    /** Prometheus `job` label of the service's scrape targets. */
    job: string;
    /** Anchored Prometheus regex matching this workload's pods and no other workload's. */
    podPattern: string;
    metrics: MetricNames;
}

/** The metric names derived from a prefix, with per-metric overrides. */
export function metricNames(prefix: string, overrides: Partial<MetricNames> = {}): MetricNames {
    const defaults: MetricNames = {
        requestsTotal: `${prefix}_requests_total`,
        errorsTotal: `${prefix}_errors_total`,
        requestDurationBucket: `${prefix}_request_duration_seconds_bucket`,
        queueDepth: `${prefix}_queue_depth`,
        oldestJobAgeSeconds: `${prefix}_queue_oldest_job_age_seconds`,
        jobsSucceededTotal: `${prefix}_jobs_succeeded_total`,
        jobsFailedTotal: `${prefix}_jobs_failed_total`,
    };
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    return { ...defaults, ...defined };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Pod names a workload's controller produces, so restart alerts never match a neighbour that
 * shares a name prefix (`agent-runtime` vs `agent-runtime-worker`): Deployment pods are
 * `<name>-<replicaset hash>-<suffix>`, StatefulSet pods `<name>-<ordinal>`, DaemonSet pods
 * `<name>-<suffix>`. PromQL regexes are anchored at both ends.
 */
export function podNamePattern(workload: WorkloadRef): string {
    const name = escapeRegex(workload.name);
    switch (workload.kind) {
        case "Deployment":
            return `${name}-[a-z0-9]+-[a-z0-9]+`;
        case "StatefulSet":
            return `${name}-[0-9]+`;
        case "DaemonSet":
            return `${name}-[a-z0-9]+`;
    }
}

/** A PromQL string literal (double-quoted, backslashes and quotes escaped). */
export function quote(value: string): string {
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `{job="…", namespace="…"}` plus extra matchers: the service's own scraped series. */
export function serviceSelector(target: QueryTarget, ...extra: string[]): string {
    return `{${[`job=${quote(target.job)}`, `namespace=${quote(target.namespace)}`, ...extra].join(", ")}}`;
}

/** `{namespace="…", pod=~"…"}` plus extra matchers: kube-state-metrics/cAdvisor series of this workload's pods. */
export function podSelector(target: QueryTarget, ...extra: string[]): string {
    return `{${[`namespace=${quote(target.namespace)}`, `pod=~${quote(target.podPattern)}`, ...extra].join(", ")}}`;
}
