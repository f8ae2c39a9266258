/**
 * NetworkPolicies: the seed's list rule by rule, the two deliberate additions, the executor's
 * raw selector (tier 1), and the component under mocks with every policy schema-valid (tier 2).
 */
import { expect } from "chai";
import { AiAgentsNetworkPolicies, buildPlatformPolicySpec, JOB_NAME_LABEL, platformPolicies } from "../../components/ai-agents/network-policies";
import { resolveAiAgentsArgs } from "../../components/ai-agents/resolve";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { API_SERVER_CIDR, clusterNetwork, platformArgs, resolvedPlatform } from "./fixtures";

const INGRESS = { ingress: { enabled: true, host: "agents.example.com" } };
const TRAEFIK = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } };
const DNS_PORTS = [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
];

function specs(overrides: Record<string, unknown> = {}, cluster = clusterNetwork()): Record<string, any> {
    const resolved = resolvedPlatform(overrides);
    return Object.fromEntries(platformPolicies(resolved, cluster).map((p) => [p.role, buildPlatformPolicySpec(p)]));
}

const sources = (spec: any) => spec.ingress.map((rule: any) => rule.from[0]);
const egressPeers = (spec: any) => spec.egress.map((rule: any) => ({ to: rule.to, ports: rule.ports }));
const hasInternet = (spec: any) => spec.egress.some((rule: any) => rule.to.some((peer: any) => peer.ipBlock?.cidr === "0.0.0.0/0"));
const hasApiServer = (spec: any) => spec.egress.some((rule: any) => rule.to.some((peer: any) => peer.ipBlock?.cidr === API_SERVER_CIDR));

describe("ai-agents network policies: the seed's list", () => {
    it("API: in from the ingress controller, the App pods and the client namespaces", () => {
        const api = specs({ ...INGRESS, monitoring: { enabled: false }, networkPolicy: { clientNamespaces: ["github-ai-agents", "reader-ai-agents"] } })["api"];
        expect(sources(api)).to.deep.equal([
            TRAEFIK,
            { podSelector: { matchLabels: { "app.kubernetes.io/name": "ai-agents", "app.kubernetes.io/instance": "ai-agents-app" } } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "github-ai-agents" } } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "reader-ai-agents" } } },
        ]);
        expect(api.ingress.every((rule: any) => rule.ports[0].port === "http")).to.equal(true);
    });

    it("API: out to the Kubernetes API, DNS and HTTPS, nothing else", () => {
        const api = specs()["api"];
        expect(api.egress).to.have.length(3);
        expect(api.egress[0].ports).to.deep.equal(DNS_PORTS);
        expect(hasInternet(api)).to.equal(true);
        expect(hasApiServer(api)).to.equal(true);
    });

    it("App: in from the ingress controller only; out to the API pods and DNS, no internet", () => {
        const app = specs(INGRESS)["app"];
        expect(sources(app)).to.deep.equal([TRAEFIK]);
        expect(egressPeers(app)).to.deep.equal([
            {
                to: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                    },
                ],
                ports: DNS_PORTS,
            },
            {
                to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "ai-agents", "app.kubernetes.io/instance": "ai-agents-api" } } }],
                ports: [{ protocol: "TCP", port: 3001 }],
            },
        ]);
    });

    it("executor Jobs: no ingress; out to the Kubernetes API, DNS and HTTPS", () => {
        const executor = specs()["executor"];
        expect(executor.ingress).to.deep.equal([]);
        expect(executor.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        expect(hasInternet(executor) && hasApiServer(executor)).to.equal(true);
        expect(executor.egress).to.have.length(3);
    });

    it("executor Jobs: every Job pod not of this platform, unless their labels are configured", () => {
        expect(specs()["executor"].podSelector).to.deep.equal({
            matchExpressions: [
                { key: JOB_NAME_LABEL, operator: "Exists" },
                { key: "app.kubernetes.io/part-of", operator: "NotIn", values: ["agent-platform"] },
            ],
        });
        expect(specs({ executor: { podLabels: { "labrats.work/executor": "true" } } })["executor"].podSelector).to.deep.equal({
            matchLabels: { "labrats.work/executor": "true" },
        });
    });

    it("no ingress-controller rule while the platform has no Ingress", () => {
        expect(sources(specs({ monitoring: { enabled: false } })["api"])).to.have.length(1); // the App only
        expect(specs()["app"].ingress).to.deep.equal([]);
    });
});

describe("ai-agents network policies: the other processes and the additions", () => {
    it("processor, webhooks and token-refresh reach the Kubernetes API; cleanup only DNS", () => {
        const all = specs({ ...INGRESS, processor: { enabled: true }, webhooks: { provisioning: "static", sources: ["github"] } });
        expect(Object.keys(all)).to.deep.equal(["api", "app", "processor", "webhook-github", "executor", "cleanup", "tokenRefresh"]);
        expect(hasApiServer(all["processor"]) && !hasInternet(all["processor"]) && all["processor"].ingress.length === 0).to.equal(true);
        expect(hasApiServer(all["webhook-github"]) && sources(all["webhook-github"])).to.deep.equal([TRAEFIK]);
        expect(hasApiServer(all["tokenRefresh"]) && hasInternet(all["tokenRefresh"])).to.equal(true);
        expect(all["cleanup"].egress).to.have.length(1);
        expect(all["cleanup"].ingress).to.deep.equal([]);
    });

    it("lets Prometheus scrape the API only when a ServiceMonitor exists", () => {
        const monitoring = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } };
        expect(sources(specs()["api"])).to.deep.include(monitoring);
        expect(sources(specs({ monitoring: { serviceMonitor: { enabled: false } } })["api"])).not.to.deep.include(monitoring);
    });

    it("opens API egress to an in-cluster PROMETHEUS_URL on its port, not to an external one", () => {
        const inside = specs({ settings: { prometheusUrl: "http://prometheus-operated.monitoring.svc:9090" } })["api"];
        expect(egressPeers(inside)).to.deep.include({
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
            ports: [{ protocol: "TCP", port: 9090 }],
        });
        expect(specs({ settings: { prometheusUrl: "https://prometheus.example.com" } })["api"].egress).to.have.length(3);
    });

    it("opens API egress to a bare-named PROMETHEUS_URL in the platform's own namespace, and to an in-cluster OIDC issuer", () => {
        const api = specs({ settings: { prometheusUrl: "http://prometheus:9090", oidc: { issuer: "http://authelia.auth.svc.cluster.local" } } })["api"];
        expect(egressPeers(api)).to.deep.include({ to: [{ podSelector: { matchLabels: {} } }], ports: [{ protocol: "TCP", port: 9090 }] });
        expect(egressPeers(api)).to.deep.include({
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "auth" } } }],
            ports: [{ protocol: "TCP", port: 80 }],
        });
    });

    it("refuses to run without the API server's addresses, naming the key", () => {
        expect(() => resolveAiAgentsArgs(platformArgs({}, { networkPolicy: clusterNetwork({ apiServer: { cidrs: [] } }) }))).to.throw(
            /^networkPolicy\.apiServer\.cidrs: is required because the ai-agents API/,
        );
    });
});

describe("AiAgentsNetworkPolicies component", () => {
    it("creates one schema-valid policy per process, named after it", async () => {
        const resolved = resolvedPlatform({ ...INGRESS, processor: { enabled: true }, webhooks: { provisioning: "static", sources: ["github"] } });
        const r = await recordComponents((provider) => new AiAgentsNetworkPolicies("np", { resolved, cluster: clusterNetwork() }, { providers: [provider] }));
        expect(r.objects.map((o) => o.metadata.name)).to.have.members([
            "ai-agents-api",
            "ai-agents-app",
            "ai-agents-processor",
            "ai-agents-webhook-github",
            "ai-agents-executor",
            "ai-agents-cleanup",
            "ai-agents-token-refresh",
        ]);
        for (const object of r.objects) await validateAgainstSchema(object);
    });

    it("leaves out a process whose policy is off, and everything when the cluster switch is off", async () => {
        const resolved = resolvedPlatform({ networkPolicy: { app: { enabled: false } } });
        const r = await recordComponents((provider) => new AiAgentsNetworkPolicies("np", { resolved, cluster: clusterNetwork() }, { providers: [provider] }));
        expect(r.objects.map((o) => o.metadata.name)).not.to.include("ai-agents-app");
        const off = await recordComponents(
            (provider) => new AiAgentsNetworkPolicies("np", { resolved, cluster: clusterNetwork({ enabled: false }) }, { providers: [provider] }),
        );
        expect(off.objects).to.deep.equal([]);
    });
});
