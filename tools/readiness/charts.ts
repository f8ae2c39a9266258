/**
 * Helm charts the stack installs, and what each provides once installed: CRD groups,
 * IngressClasses, GatewayClasses. The offline render does not expand charts, so this table
 * stands in for their templates; each row cites the chart's own values/templates.
 */
import type { Recording } from "../render/recorder";

export interface ChartProvides {
    crdGroups: string[];
    ingressClasses: string[];
    gatewayClasses: string[];
}

export interface InstalledChart extends ChartProvides {
    chart: string;
    urn: string;
    namespace?: string;
}

type Values = Record<string, unknown>;
const at = (values: Values, ...path: string[]): unknown => path.reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Values)[key] : undefined), values);

/** Chart name -> what it provides, given the values the stack passes. */
const CHARTS: Record<string, (values: Values) => ChartProvides> = {
    // jetstack/cert-manager: CRDs with `crds.enabled` (or the older `installCRDs`).
    "cert-manager": (values) => ({
        crdGroups: at(values, "crds", "enabled") === true || values["installCRDs"] === true ? ["cert-manager.io", "acme.cert-manager.io"] : [],
        ingressClasses: [],
        gatewayClasses: [],
    }),
    // external-secrets/external-secrets: `installCRDs` defaults to true.
    "external-secrets": (values) => ({
        crdGroups: values["installCRDs"] === false ? [] : ["external-secrets.io", "generators.external-secrets.io"],
        ingressClasses: [],
        gatewayClasses: [],
    }),
    // prometheus-community/prometheus-operator-crds: the CRDs only.
    "prometheus-operator-crds": () => ({ crdGroups: ["monitoring.coreos.com"], ingressClasses: [], gatewayClasses: [] }),
    "kube-prometheus-stack": () => ({ crdGroups: ["monitoring.coreos.com"], ingressClasses: [], gatewayClasses: [] }),
    // traefik/traefik: its CRDs (traefik.io) from crds/; the IngressClass `ingressClass.name`
    // (default: the release name) unless `ingressClass.enabled: false`; with the Gateway API
    // provider on, the GatewayClass `gatewayClass.name` (default `traefik`). Gateway API CRDs
    // are not in this chart (traefik/traefik-crds has them).
    traefik: (values) => ({
        crdGroups: ["traefik.io"],
        ingressClasses: at(values, "ingressClass", "enabled") === false ? [] : [String(at(values, "ingressClass", "name") ?? "traefik")],
        gatewayClasses:
            at(values, "providers", "kubernetesGateway", "enabled") === true && at(values, "gatewayClass", "enabled") !== false
                ? [String(at(values, "gatewayClass", "name") ?? "traefik")]
                : [],
    }),
    // traefik/traefik-crds: Traefik's CRDs, and Gateway API's with `gatewayAPI: true`.
    "traefik-crds": (values) => ({
        crdGroups: [...(values["traefik"] === false ? [] : ["traefik.io"]), ...(values["gatewayAPI"] === true ? ["gateway.networking.k8s.io"] : [])],
        ingressClasses: [],
        gatewayClasses: [],
    }),
    // envoyproxy/gateway-helm: Envoy Gateway's and Gateway API's CRDs; GatewayClasses are yours.
    "gateway-helm": () => ({ crdGroups: ["gateway.envoyproxy.io", "gateway.networking.k8s.io"], ingressClasses: [], gatewayClasses: [] }),
    // stakater/reloader: no CRDs.
    reloader: () => ({ crdGroups: [], ingressClasses: [], gatewayClasses: [] }),
};

const CHART_TYPES = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"]);

/** The charts of a recording; a chart missing from the table provides nothing known. */
export function installedCharts(recording: Recording): InstalledChart[] {
    return recording.resources
        .filter((r) => CHART_TYPES.has(r.type))
        .map((r) => {
            const chart = String(r.inputs["chart"] ?? r.name).split("/").pop()!;
            const values = (r.inputs["values"] as Values | undefined) ?? {};
            const provides = CHARTS[chart]?.(values) ?? { crdGroups: [], ingressClasses: [], gatewayClasses: [] };
            return { chart, urn: r.urn, namespace: r.inputs["namespace"] as string | undefined, ...provides };
        });
}

export function isKnownChart(chart: string): boolean {
    return Object.hasOwn(CHARTS, chart);
}
