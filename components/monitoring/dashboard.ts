/**
 * The Grafana dashboard of one service as dashboard JSON (the model Grafana imports), with
 * a `datasource` variable so it works whatever the Prometheus data source is called.
 * Panels query the same series as the alerts (see ./promql.ts).
 */
import { createHash } from "node:crypto";
import { MonitoringProfile, QueryTarget, podSelector, quote, serviceSelector } from "./promql";

/** Grafana's rate window variable: at least four scrape intervals, so rate() never sees a single sample. */
export const RATE_INTERVAL = "$__rate_interval";
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

export interface DashboardTarget {
    refId: string;
    expr: string;
    legendFormat: string;
}

export interface DashboardPanel {
    id: number;
    type: "timeseries";
    title: string;
    description: string;
    datasource: typeof DATASOURCE;
    gridPos: { h: number; w: number; x: number; y: number };
    fieldConfig: { defaults: { unit: string; min?: number }; overrides: [] };
    options: { legend: { displayMode: "list"; placement: "bottom"; showLegend: true }; tooltip: { mode: "multi"; sort: "desc" } };
    targets: (DashboardTarget & { datasource: typeof DATASOURCE })[];
}

export interface Dashboard {
    uid: string;
    title: string;
    description: string;
    tags: string[];
    editable: boolean;
    schemaVersion: number;
    version: number;
    refresh: string;
    time: { from: string; to: string };
    timezone: string;
    annotations: { list: [] };
    templating: { list: Record<string, unknown>[] };
    panels: DashboardPanel[];
}

export interface DashboardArgs {
    target: QueryTarget;
    profile: MonitoringProfile;
    /** Instance name of the service, e.g. `agent-runtime`. */
    instance: string;
    /** Application name, e.g. `fractal-agents-runtime`. */
    application: string;
    /** Label of the requests counter holding the HTTP status, when errors are counted by status. */
    statusLabel?: string;
}

const GRAFANA_UID_MAX = 40;

/**
 * A uid that stays the same for a service across deploys (so links and bookmarks survive) and
 * differs between namespaces (two stacks in one Grafana never overwrite each other).
 */
export function dashboardUid(namespace: string, instance: string): string {
    const readable = `${namespace}-${instance}`;
    if (readable.length <= GRAFANA_UID_MAX) return readable;
    const hash = createHash("sha256").update(`${namespace}/${instance}`).digest("hex").slice(0, 8);
    return `${readable.slice(0, GRAFANA_UID_MAX - hash.length - 1)}-${hash}`;
}

interface PanelSpec {
    title: string;
    description: string;
    unit: string;
    targets: DashboardTarget[];
}

function httpPanels(args: DashboardArgs): PanelSpec[] {
    const { target } = args;
    const m = target.metrics;
    const sel = serviceSelector(target);
    const requests = `sum(rate(${m.requestsTotal}${sel}[${RATE_INTERVAL}]))`;
    const errors = args.statusLabel
        ? `sum(rate(${m.requestsTotal}${serviceSelector(target, `${args.statusLabel}=~${quote("5..")}`)}[${RATE_INTERVAL}]))`
        : `sum(rate(${m.errorsTotal}${sel}[${RATE_INTERVAL}]))`;
    const quantile = (q: number, refId: string): DashboardTarget => ({
        refId,
        expr: `histogram_quantile(${q}, sum by (le) (rate(${m.requestDurationBucket}${sel}[${RATE_INTERVAL}])))`,
        legendFormat: `p${Math.round(q * 100)}`,
    });
    return [
        {
            title: "Request rate",
            description: "Requests per second, per pod and in total.",
            unit: "reqps",
            targets: [
                { refId: "A", expr: requests, legendFormat: "total" },
                { refId: "B", expr: `sum by (pod) (rate(${m.requestsTotal}${sel}[${RATE_INTERVAL}]))`, legendFormat: "{{pod}}" },
            ],
        },
        {
            title: "Error ratio",
            description: "Share of requests that failed.",
            unit: "percentunit",
            // `> 0` on the denominator: no traffic shows as a gap, not as a division by zero.
            targets: [{ refId: "A", expr: `${errors} / (${requests} > 0)`, legendFormat: "errors / requests" }],
        },
        {
            title: "Latency",
            description: "Request duration quantiles from the duration histogram.",
            unit: "s",
            targets: [quantile(0.5, "A"), quantile(0.95, "B"), quantile(0.99, "C")],
        },
    ];
}

function workerPanels(args: DashboardArgs): PanelSpec[] {
    const { target } = args;
    const m = target.metrics;
    const sel = serviceSelector(target);
    return [
        {
            title: "Queue depth",
            description: "Jobs waiting.",
            unit: "short",
            targets: [{ refId: "A", expr: `sum(${m.queueDepth}${sel})`, legendFormat: "waiting" }],
        },
        {
            title: "Oldest waiting job",
            description: "Age of the oldest waiting job.",
            unit: "s",
            targets: [{ refId: "A", expr: `max(${m.oldestJobAgeSeconds}${sel})`, legendFormat: "age" }],
        },
        {
            title: "Jobs finished",
            description: "Jobs per second that succeeded and failed.",
            unit: "ops",
            targets: [
                { refId: "A", expr: `sum(rate(${m.jobsSucceededTotal}${sel}[${RATE_INTERVAL}]))`, legendFormat: "succeeded" },
                { refId: "B", expr: `sum(rate(${m.jobsFailedTotal}${sel}[${RATE_INTERVAL}]))`, legendFormat: "failed" },
            ],
        },
    ];
}

/** Restarts, CPU and memory against requests: the same for every workload. */
function podPanels(target: QueryTarget): PanelSpec[] {
    const containers = podSelector(target, `container!=${quote("")}`, `container!=${quote("POD")}`);
    const requests = (resource: string) => `sum by (pod) (kube_pod_container_resource_requests${podSelector(target, `resource=${quote(resource)}`)})`;
    const limits = (resource: string) => `sum by (pod) (kube_pod_container_resource_limits${podSelector(target, `resource=${quote(resource)}`)})`;
    return [
        {
            title: "Pod restarts",
            description: "Container restarts in the last hour, per pod (kube-state-metrics).",
            unit: "short",
            targets: [
                { refId: "A", expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total${podSelector(target)}[1h]))`, legendFormat: "{{pod}}" },
            ],
        },
        {
            title: "CPU vs requests",
            description: "CPU used per pod (cores) against its CPU request.",
            unit: "short",
            targets: [
                { refId: "A", expr: `sum by (pod) (rate(container_cpu_usage_seconds_total${containers}[${RATE_INTERVAL}]))`, legendFormat: "{{pod}} used" },
                { refId: "B", expr: requests("cpu"), legendFormat: "{{pod}} request" },
            ],
        },
        {
            title: "Memory vs requests",
            description: "Working-set memory per pod against its memory request and limit (the OOM line).",
            unit: "bytes",
            targets: [
                { refId: "A", expr: `sum by (pod) (container_memory_working_set_bytes${containers})`, legendFormat: "{{pod}} working set" },
                { refId: "B", expr: requests("memory"), legendFormat: "{{pod}} request" },
                { refId: "C", expr: limits("memory"), legendFormat: "{{pod}} limit" },
            ],
        },
    ];
}

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

export function buildDashboard(args: DashboardArgs): Dashboard {
    const specs = [...(args.profile === "http" ? httpPanels(args) : workerPanels(args)), ...podPanels(args.target)];
    const panels: DashboardPanel[] = specs.map((spec, i) => ({
        id: i + 1,
        type: "timeseries",
        title: spec.title,
        description: spec.description,
        datasource: DATASOURCE,
        // Two panels per row, filled left to right.
        gridPos: { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (i % 2) * PANEL_WIDTH, y: Math.floor(i / 2) * PANEL_HEIGHT },
        fieldConfig: { defaults: { unit: spec.unit, min: 0 }, overrides: [] },
        options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } },
        targets: spec.targets.map((t) => ({ ...t, datasource: DATASOURCE })),
    }));
    return {
        uid: dashboardUid(args.target.namespace, args.instance),
        title: `${args.instance} (${args.target.namespace})`,
        description: `${args.application}: ${args.profile === "http" ? "requests, errors, latency" : "queue and jobs"}, restarts and resources. Managed by agent-platform; edits in Grafana are overwritten.`,
        tags: ["agent-platform", args.application],
        editable: false,
        schemaVersion: 39,
        version: 1,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        timezone: "browser",
        annotations: { list: [] },
        templating: {
            list: [
                { name: "datasource", label: "Data source", type: "datasource", query: "prometheus", current: {}, hide: 0, refresh: 1, regex: "", options: [] },
            ],
        },
        panels,
    };
}
