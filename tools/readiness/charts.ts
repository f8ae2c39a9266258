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
    /** Labels of the pods that forward ingress traffic, for an ingress controller's chart. */
    controllerPodLabels?: Record<string, string>;
}

export interface InstalledChart extends ChartProvides {
    chart: string;
    urn: string;
    namespace?: string;
}

type Values = Record<string, unknown>;
const at = (values: Values, ...path: string[]): unknown =>
    path.reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Values)[key] : undefined), values);

/** Where a chart is installed, for what depends on its release name and namespace. */
interface Release {
    name: string;
    namespace?: string;
}

/** Chart name -> what it provides, given the values the stack passes. */
const CHARTS: Record<string, (values: Values, release: Release) => ChartProvides> = {
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
    traefik: (values, release) => ({
        crdGroups: ["traefik.io"],
        ingressClasses: at(values, "ingressClass", "enabled") === false ? [] : [String(at(values, "ingressClass", "name") ?? "traefik")],
        gatewayClasses:
            at(values, "providers", "kubernetesGateway", "enabled") === true && at(values, "gatewayClass", "enabled") !== false
                ? [String(at(values, "gatewayClass", "name") ?? "traefik")]
                : [],
        // templates/_helpers.tpl (traefik.labelselector): app.kubernetes.io/name is nameOverride or
        // "traefik"; app.kubernetes.io/instance is instanceLabelOverride or "<release>-<namespace>".
        controllerPodLabels: {
            "app.kubernetes.io/name": String(values["nameOverride"] ?? "traefik"),
            "app.kubernetes.io/instance": String(values["instanceLabelOverride"] ?? `${release.name}-${release.namespace ?? "default"}`),
        },
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
const MANIFEST_TYPES = new Set(["kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml:ConfigFile"]);

/**
 * Manifest bundles installed from a URL, by the URL: Gateway API's release manifests
 * (github.com/kubernetes-sigs/gateway-api/releases: standard-install.yaml has the
 * gateway.networking.k8s.io CRDs; experimental-install.yaml adds gateway.networking.x-k8s.io).
 */
const BUNDLES: [RegExp, ChartProvides][] = [
    [
        /kubernetes-sigs\/gateway-api\/releases\/download\/[^/]+\/standard-install\.yaml$/,
        { crdGroups: ["gateway.networking.k8s.io"], ingressClasses: [], gatewayClasses: [] },
    ],
    [
        /kubernetes-sigs\/gateway-api\/releases\/download\/[^/]+\/experimental-install\.yaml$/,
        { crdGroups: ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"], ingressClasses: [], gatewayClasses: [] },
    ],
];

const NOTHING: ChartProvides = { crdGroups: [], ingressClasses: [], gatewayClasses: [] };

/** The charts and manifest bundles of a recording; one missing from the tables provides nothing known. */
export function installedCharts(recording: Recording): InstalledChart[] {
    const installed: InstalledChart[] = [];
    for (const r of recording.resources) {
        if (CHART_TYPES.has(r.type)) {
            const chart = String(r.inputs["chart"] ?? r.name)
                .split("/")
                .pop()!;
            const values = (r.inputs["values"] as Values | undefined) ?? {};
            const namespace = r.inputs["namespace"] as string | undefined;
            const release = { name: String(r.inputs["name"] ?? r.name), namespace };
            installed.push({ chart, urn: r.urn, namespace, ...(CHARTS[chart]?.(values, release) ?? NOTHING) });
        } else if (MANIFEST_TYPES.has(r.type)) {
            const file = String(r.inputs["file"] ?? "");
            const provides = BUNDLES.find(([pattern]) => pattern.test(file))?.[1] ?? NOTHING;
            installed.push({ chart: file.split("/").slice(-2).join("/") || r.name, urn: r.urn, ...provides });
        }
    }
    return installed;
}

export function isKnownChart(chart: string): boolean {
    return Object.hasOwn(CHARTS, chart);
}
