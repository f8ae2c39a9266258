/**
 * NetworkPolicy: value rules and fragments, the policy rule by rule (tier 1), and the
 * component under mocks (tier 2). Every policy built is validated against the API schema.
 */
import { expect } from "chai";
import { z } from "zod";
import {
    NetworkPolicy,
    NetworkPolicyArgs,
    NetworkPolicyClusterConfig,
    ServiceNetworkPolicyConfig,
    buildNetworkPolicySpec,
    resolveNetworkPolicyArgs,
} from "../../components/network-policy";
import { AppIdentity } from "../../components/pod";
import { networkPolicyClusterSchema, serviceNetworkPolicySchema } from "../../components/network-policy/schema";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";

const IDENTITY: AppIdentity = { name: "fractal-agents-runtime", instance: "agent-runtime", component: "runtime" };
const SELECTOR = { "app.kubernetes.io/name": "fractal-agents-runtime", "app.kubernetes.io/instance": "agent-runtime" };

const cluster = (block: unknown = {}): NetworkPolicyClusterConfig => networkPolicyClusterSchema.parse(block);
const service = (block: unknown = {}): ServiceNetworkPolicyConfig => serviceNetworkPolicySchema.parse(block);

function policyArgs(overrides: Partial<NetworkPolicyArgs> = {}, clusterBlock: unknown = {}, serviceBlock: unknown = {}): NetworkPolicyArgs {
    return {
        identity: IDENTITY,
        namespace: "agents",
        cluster: cluster(clusterBlock),
        service: service(serviceBlock),
        ingressPorts: [{ port: "http" }],
        metricsPorts: [{ port: "http" }],
        ...overrides,
    };
}

/** The spec, after checking it is a valid NetworkPolicy. */
async function specOf(args: NetworkPolicyArgs): Promise<any> {
    const spec = buildNetworkPolicySpec(resolveNetworkPolicyArgs(args));
    await validateAgainstSchema({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", namespace: "agents" }, spec } as any);
    return spec;
}

const internetRule = (spec: any) => spec.egress.find((rule: any) => rule.to.some((peer: any) => peer.ipBlock?.cidr === "0.0.0.0/0"));

function issuesOf(schema: z.ZodType, block: unknown): string[] {
    const result = schema.safeParse(block);
    expect(result.success, "expected the block to be rejected").to.equal(false);
    return result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("network policy: config fragments", () => {
    it("cluster defaults: ingress-nginx, monitoring and kube-dns by namespace name, AKS ranges, HTTPS, API ports 443 and 6443, no plugin declared", () => {
        expect(cluster()).to.deep.equal({
            enabled: true,
            ingressController: { namespaceSelector: { "kubernetes.io/metadata.name": "ingress-nginx" } },
            monitoring: { namespaceSelector: { "kubernetes.io/metadata.name": "monitoring" } },
            dns: { namespaceSelector: { "kubernetes.io/metadata.name": "kube-system" }, podSelector: { "k8s-app": "kube-dns" }, cidrs: [] },
            clusterCidrs: { pods: ["10.244.0.0/16"], services: ["10.0.0.0/16"] },
            internet: { ports: [443], except: [] },
            apiServer: { cidrs: [], ports: [443, 6443] },
        });
        expect(service()).to.deep.equal({ enabled: true, internet: true, extraIngress: [], extraEgress: [], endpoints: {} });
    });

    it("names the key of an invalid CIDR and says what is allowed", () => {
        expect(issuesOf(networkPolicyClusterSchema, { clusterCidrs: { pods: ["10.244.1.0/16"] } })).to.deep.equal([
            "clusterCidrs.pods.0: '10.244.1.0/16' is not allowed (allowed: an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16)",
        ]);
        expect(issuesOf(networkPolicyClusterSchema, { internet: { except: ["0.0.0.0/0"] }, apiServer: { cidrs: ["1.2.3"] } })).to.deep.equal([
            "internet.except.0: '0.0.0.0/0' would exclude the whole internet",
            "apiServer.cidrs.0: '1.2.3' is not allowed (allowed: an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16)",
        ]);
    });

    it("rejects empty selectors, which would match every namespace", () => {
        expect(issuesOf(networkPolicyClusterSchema, { monitoring: { namespaceSelector: {} } })).to.deep.equal([
            "monitoring.namespaceSelector: must name at least one label; an empty selector matches everything (allowed: a non-empty map of Kubernetes label keys to values)",
        ]);
        expect(issuesOf(serviceNetworkPolicySchema, { extraIngress: [{ ports: [{ port: 80 }] }] })).to.deep.equal([
            "extraIngress.0: needs `namespaceSelector`, `podSelector` or both",
        ]);
    });

    it("rejects an egress peer with both a CIDR and selectors, an except outside its CIDR, and bad ports", () => {
        const bad = issuesOf(serviceNetworkPolicySchema, {
            extraEgress: [
                { cidr: "10.1.0.0/16", podSelector: { app: "db" }, ports: [{ port: 5432 }] },
                { cidr: "10.1.0.0/16", except: ["10.2.0.0/24"], ports: [{ port: 0 }, { port: "Not_A_Name" }, { port: 80, endPort: 70 }] },
                { namespaceSelector: { "kubernetes.io/metadata.name": "data" }, ports: [] },
            ],
        });
        expect(bad).to.deep.equal([
            "extraEgress.0: set either `cidr` or `namespaceSelector`/`podSelector`, not both",
            "extraEgress.1.except.0: '10.2.0.0/24' must lie inside 10.1.0.0/16 and be smaller",
            "extraEgress.1.ports.0.port: '0' is not allowed (allowed: a port number from 1 to 65535 or a container port name)",
            "extraEgress.1.ports.1.port: 'Not_A_Name' is not allowed (allowed: a port number from 1 to 65535 or a container port name)",
            "extraEgress.1.ports.2.endPort: must be a port number not below `port`, which must be a number",
            "extraEgress.2.ports: must list at least one port (an empty list would allow every port)",
        ]);
    });

    it("reports unknown keys at every level when embedded in strict blocks", () => {
        const stack = z.strictObject({
            networkPolicy: networkPolicyClusterSchema,
            agentRuntime: z.strictObject({ networkPolicy: serviceNetworkPolicySchema }),
        });
        const result = stack.safeParse({
            networkPolicy: { enable: true, dns: { port: 53 } },
            agentRuntime: { networkPolicy: { extraEgress: [{ cidr: "1.2.3.0/24", ports: [{ port: 443, proto: "TCP" }] }] } },
        });
        const unknown = result.error!.issues.filter((i) => i.code === "unrecognized_keys").map((i) => `${i.path.join(".")}: ${(i as { keys: string[] }).keys}`);
        expect(unknown).to.have.members(["networkPolicy: enable", "networkPolicy.dns: port", "agentRuntime.networkPolicy.extraEgress.0.ports.0: proto"]);
    });
});

describe("network policy: rules", () => {
    it("selects the service's pods and denies both directions by default", async () => {
        const spec = await specOf(policyArgs({ ingressPorts: [], metricsPorts: [] }, {}, { internet: false }));
        expect(spec.podSelector).to.deep.equal({ matchLabels: SELECTOR });
        expect(spec.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        expect(spec.ingress).to.deep.equal([]);
        expect(spec.egress).to.have.length(1, "only DNS");
    });

    it("lets the ingress controller's namespace (and pods, as one AND-ed peer) in on the service's ports", async () => {
        const spec = await specOf(
            policyArgs(
                { metricsPorts: [] },
                { ingressController: { namespaceSelector: { "kubernetes.io/metadata.name": "app-routing-system" }, podSelector: { app: "nginx" } } },
            ),
        );
        expect(spec.ingress).to.deep.equal([
            {
                from: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "app-routing-system" } },
                        podSelector: { matchLabels: { app: "nginx" } },
                    },
                ],
                ports: [{ protocol: "TCP", port: "http" }],
            },
        ]);
    });

    it("lets a service replace the cluster's ingress controller", async () => {
        const spec = await specOf(
            policyArgs({ metricsPorts: [] }, {}, { ingressController: { namespaceSelector: { "kubernetes.io/metadata.name": "traefik" } } }),
        );
        expect(spec.ingress[0].from).to.deep.equal([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "traefik" } } }]);
    });

    it("lets Prometheus scrape the metrics ports and further in-cluster peers in on theirs", async () => {
        const spec = await specOf(
            policyArgs(
                {
                    ingressPorts: [],
                    metricsPorts: [{ port: 9090 }],
                    ingressFrom: [{ podSelector: { "app.kubernetes.io/name": "agent-app" }, ports: [{ port: "http" }] }],
                },
                {
                    monitoring: {
                        namespaceSelector: { "kubernetes.io/metadata.name": "observability" },
                        podSelector: { "app.kubernetes.io/name": "prometheus" },
                    },
                },
                { extraIngress: [{ namespaceSelector: { team: "reader" }, ports: [{ port: 8081 }] }] },
            ),
        );
        expect(spec.ingress).to.deep.equal([
            {
                from: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } },
                        podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
                    },
                ],
                ports: [{ protocol: "TCP", port: 9090 }],
            },
            { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "agent-app" } } }], ports: [{ protocol: "TCP", port: "http" }] },
            { from: [{ namespaceSelector: { matchLabels: { team: "reader" } } }], ports: [{ protocol: "TCP", port: 8081 }] },
        ]);
    });

    it("allows DNS to kube-dns in kube-system on UDP and TCP 53, and to extra DNS addresses", async () => {
        const spec = await specOf(policyArgs({}, { dns: { cidrs: ["169.254.20.10/32"] } }));
        expect(spec.egress[0]).to.deep.equal({
            to: [
                {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
                { ipBlock: { cidr: "169.254.20.10/32" } },
            ],
            ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
            ],
        });
    });

    it("reaches the internet only through 0.0.0.0/0 minus private, metadata, CGNAT and cluster ranges, on 443", async () => {
        const spec = await specOf(
            policyArgs({}, { clusterCidrs: { pods: ["100.96.0.0/11"], services: ["192.0.2.0/24"] }, internet: { except: ["203.0.113.0/24"] } }),
        );
        const rule = internetRule(spec);
        expect(rule.ports).to.deep.equal([{ protocol: "TCP", port: 443 }]);
        expect(rule.to).to.have.length(1);
        expect(rule.to[0].ipBlock.except).to.have.members([
            ...["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"],
            ...["100.96.0.0/11", "192.0.2.0/24", "203.0.113.0/24"],
        ]);
        for (const r of spec.egress) {
            for (const peer of r.to) {
                if (peer.namespaceSelector)
                    expect(peer.namespaceSelector.matchLabels ?? {}, "an empty namespaceSelector matches every pod").not.to.deep.equal({});
            }
        }
    });

    it("excludes the default AKS pod and Service ranges from the internet", async () => {
        const rule = internetRule(await specOf(policyArgs()));
        expect(rule.to[0].ipBlock.except).to.include.members(["10.244.0.0/16", "10.0.0.0/16"]);
    });

    it("has no internet egress when a service turns it off", async () => {
        expect(internetRule(await specOf(policyArgs({}, {}, { internet: false })))).to.equal(undefined);
    });

    it("allows egress to in-cluster peers and CIDRs on their ports only", async () => {
        const spec = await specOf(
            policyArgs(
                { egressTo: [{ podSelector: { "app.kubernetes.io/name": "postgres" }, ports: [{ port: 5432 }] }] },
                {},
                {
                    internet: false,
                    extraEgress: [
                        { cidr: "10.20.0.0/16", except: ["10.20.5.0/24"], ports: [{ port: 3306 }] },
                        { namespaceSelector: { "kubernetes.io/metadata.name": "vllm" }, podSelector: { app: "ministral-vllm" }, ports: [{ port: 8000 }] },
                    ],
                },
            ),
        );
        expect(spec.egress.slice(1)).to.deep.equal([
            { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "postgres" } } }], ports: [{ protocol: "TCP", port: 5432 }] },
            {
                to: [
                    { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "vllm" } }, podSelector: { matchLabels: { app: "ministral-vllm" } } },
                ],
                ports: [{ protocol: "TCP", port: 8000 }],
            },
            { to: [{ ipBlock: { cidr: "10.20.0.0/16", except: ["10.20.5.0/24"] } }], ports: [{ protocol: "TCP", port: 3306 }] },
        ]);
    });

    it("reaches the API server only when the workload needs it, on its addresses and ports 443 and 6443", async () => {
        const withoutApi = await specOf(policyArgs({}, { apiServer: { cidrs: ["20.1.2.3/32"] } }, { internet: false }));
        expect(withoutApi.egress.some((r: any) => r.to.some((p: any) => p.ipBlock?.cidr === "20.1.2.3/32"))).to.equal(false);
        const withApi = await specOf(policyArgs({ apiServer: true }, { apiServer: { cidrs: ["20.1.2.3/32"] } }, { internet: false }));
        expect(withApi.egress.at(-1)).to.deep.equal({
            to: [{ ipBlock: { cidr: "20.1.2.3/32" } }],
            ports: [
                { protocol: "TCP", port: 443 },
                { protocol: "TCP", port: 6443 },
            ],
        });
    });

    it("names the config key when the API server's address is missing or a CIDR is invalid", () => {
        expect(() => resolveNetworkPolicyArgs(policyArgs({ apiServer: true }))).to.throw(
            /^networkPolicy\.apiServer\.cidrs: is required because agent-runtime calls the Kubernetes API/,
        );
        const bad = policyArgs({ configPaths: { service: "agentRuntime.networkPolicy" } });
        bad.cluster.clusterCidrs.pods = ["10.244.0.0/33"];
        bad.service.extraEgress = [{ cidr: "300.1.0.0/16", ports: [{ port: 443 }] }];
        expect(() => resolveNetworkPolicyArgs(bad)).to.throw(
            "networkPolicy.clusterCidrs.pods[0]: '10.244.0.0/33' is not allowed (allowed: an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16)\n" +
                "agentRuntime.networkPolicy.extraEgress[0].cidr: '300.1.0.0/16' is not allowed (allowed: an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16)",
        );
    });

    it("checks peers given in code as well, naming the argument", () => {
        expect(() => resolveNetworkPolicyArgs(policyArgs({ egressTo: [{ namespaceSelector: {}, ports: [{ port: 5432 }] }] }))).to.throw(
            /^NetworkPolicyArgs\.egressTo\[0\]\.namespaceSelector: must name at least one label/,
        );
    });
});

describe("NetworkPolicy component", () => {
    it("creates one policy named after the instance, in the namespace, through the provider", async () => {
        const r = await recordComponents((provider) => void new NetworkPolicy("rt-netpol", policyArgs(), { providers: [provider] }));
        const policy: any = r.object("NetworkPolicy", "agent-runtime");
        expect(policy.metadata.namespace).to.equal("agents");
        expect(policy.metadata.labels).to.include({ "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/instance": "agent-runtime" });
        expect(policy.spec.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        const resource = r.recording.resources.find((x) => x.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")!;
        expect(resource.name).to.equal("rt-netpol-networkpolicy");
        expect(resource.provider).to.match(/::test-k8s::/);
        expect(resource.parent).to.match(/NetworkPolicy::rt-netpol$/);
        for (const object of r.objects) await validateAgainstSchema(object);
    });

    it("creates nothing when the stack or the service turns policies off", async () => {
        const offInCluster = await recordComponents((provider) => void new NetworkPolicy("p", policyArgs({}, { enabled: false }), { providers: [provider] }));
        const offInService = await recordComponents(
            (provider) => void new NetworkPolicy("p", policyArgs({}, {}, { enabled: false }), { providers: [provider] }),
        );
        expect(offInCluster.objects).to.deep.equal([]);
        expect(offInService.objects).to.deep.equal([]);
    });
});
