import { expect } from "chai";
import { mysqlServerFindings } from "../../../tools/readiness/azure";
import { connectivityFindings } from "../../../tools/readiness/connectivity";
import type { ServiceNeeds } from "../../../tools/readiness/dependencies";
import { container, deployment, facts, namespace, object, recording, resource } from "./fixtures";

const NS = "apps";
const labels = { "app.kubernetes.io/instance": "runtime" };
const runtime = deployment("runtime", NS, { containers: [container("app", { ports: [{ name: "http", containerPort: 8081 }] })] }, labels);
const service = object(
    "v1",
    "Service",
    "runtime",
    NS,
    { spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] } },
    { app: "runtime" },
);
const dnsOnly = (extraEgress: unknown[] = [], ingress: unknown[] = []) =>
    object("networking.k8s.io/v1", "NetworkPolicy", "runtime", NS, {
        spec: {
            podSelector: { matchLabels: labels },
            policyTypes: ["Ingress", "Egress"],
            ingress,
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ],
                    ports: [
                        { port: 53, protocol: "UDP" },
                        { port: 53, protocol: "TCP" },
                    ],
                },
                ...extraEgress,
            ],
        },
    });
const needs = (url: string): ServiceNeeds[] => [
    {
        service: "agentRuntime",
        instances: ["runtime"],
        dependencies: [
            { what: "agentRuntime.settings.openaiApiBase", need: { kind: "url", url, override: {} } },
            { what: "cluster DNS", need: { kind: "dns" } },
        ],
    },
];
const withNeeds = (n: ServiceNeeds[], extra: Partial<ReturnType<typeof facts>["connectivity"]> = {}) => {
    const f = facts();
    f.connectivity = { ...f.connectivity, needs: n, ...extra };
    return f;
};

describe("readiness rule connectivity", () => {
    it("reports a model endpoint in another namespace that the egress policy drops, and accepts it once allowed", () => {
        const f = withNeeds(needs("http://vllm.models.svc.cluster.local/v1"));
        const findings = connectivityFindings([namespace(NS), runtime, dnsOnly()], [], f);
        expect(findings.map((x) => x.message)).to.deep.equal([
            "cannot reach vllm.models:80, which agentRuntime.settings.openaiApiBase names: the network policies drop it. Allow it in `agentRuntime.networkPolicy` (an endpoint override or an extra egress peer).",
        ]);
        const allowed = dnsOnly([{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "models" } } }], ports: [{ port: 80 }] }]);
        expect(connectivityFindings([namespace(NS), runtime, allowed], [], f)).to.deep.equal([]);
    });

    it("checks a public host against a public address, and DNS on UDP and TCP", () => {
        const f = withNeeds(needs("https://api.openai.com/v1"));
        const noDns = object("networking.k8s.io/v1", "NetworkPolicy", "runtime", NS, {
            spec: {
                podSelector: { matchLabels: labels },
                policyTypes: ["Egress"],
                egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443 }] }],
            },
        });
        expect(connectivityFindings([namespace(NS), runtime, noDns], [], f).map((x) => x.message.split(",")[0])).to.deep.equal([
            "cannot reach cluster DNS (UDP 53)",
            "cannot reach cluster DNS (TCP 53)",
        ]);
        expect(connectivityFindings([namespace(NS), runtime, dnsOnly()], [], f)[0]!.message).to.contain("api.openai.com:443 (a public address)");
    });

    it("reports a routed Service whose pods do not admit the ingress controller", () => {
        const route = object("gateway.networking.k8s.io/v1", "HTTPRoute", "runtime", NS, {
            spec: { rules: [{ backendRefs: [{ name: "runtime", port: 80 }] }] },
        });
        const controller = { ingressController: { namespace: "traefik", labels: { "app.kubernetes.io/name": "traefik" } } };
        const closed = connectivityFindings([namespace(NS), runtime, service, route, dnsOnly()], [], withNeeds([], controller));
        expect(closed.map((x) => x.message)[0]).to.contain("do not admit the ingress controller (traefik");
        const open = dnsOnly([], [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } }], ports: [{ port: 8081 }] }]);
        expect(connectivityFindings([namespace(NS), runtime, service, route, open], [], withNeeds([], controller))).to.deep.equal([]);
    });

    it("reports a monitored pod Prometheus cannot scrape", () => {
        const monitor = object("monitoring.coreos.com/v1", "ServiceMonitor", "runtime", NS, {
            spec: { selector: { matchLabels: { app: "runtime" } }, endpoints: [{ port: "http" }] },
        });
        const prometheus = { prometheus: { namespace: "monitoring", labels: {} } };
        expect(connectivityFindings([namespace(NS), runtime, service, monitor, dnsOnly()], [], withNeeds([], prometheus))[0]!.message).to.contain(
            "Prometheus (monitoring {}) cannot scrape",
        );
    });

    it("reports a private database range outside the stack's network on AKS, and accepts one inside", () => {
        const dbNeeds: ServiceNeeds[] = [
            {
                service: "agentRuntime",
                instances: ["runtime"],
                dependencies: [{ what: "agentRuntime.database.cidr", need: { kind: "cidr", cidr: "10.30.0.0/24", port: 5432 } }],
            },
        ];
        const open = object("networking.k8s.io/v1", "NetworkPolicy", "open", NS, { spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{}] } });
        const aks = withNeeds(dbNeeds, { routableRanges: ["10.224.0.0/16"] });
        aks.clusterCreatedByStack = true;
        expect(connectivityFindings([namespace(NS), runtime, open], [], aks)[0]!.message).to.contain("private address outside the stack's virtual network");
        aks.connectivity.routableRanges.push("10.30.0.0/16");
        expect(connectivityFindings([namespace(NS), runtime, open], [], aks)).to.deep.equal([]);
    });

    it("reports a MySQL server no client can reach, and accepts one in a delegated subnet", () => {
        const server = (network: Record<string, unknown>) =>
            resource("urn:pulumi:s::p::azure-native:dbformysql:Server::db", "azure-native:dbformysql:Server", { inputs: { network } });
        expect(mysqlServerFindings(recording([server({ publicNetworkAccess: "Disabled" })]))[0]!.message).to.contain("no client can reach it");
        expect(mysqlServerFindings(recording([server({ publicNetworkAccess: "Enabled" })]))[0]!.message).to.contain("no firewall rule");
        expect(
            mysqlServerFindings(recording([server({ publicNetworkAccess: "Disabled", delegatedSubnetResourceId: "/subscriptions/x/subnets/mysql" })])),
        ).to.deep.equal([]);
    });
});
