/**
 * Egress derived from what each service talks to, and the API server on Cilium:
 * - tier 1: URL -> placement -> rule (in-cluster short and long names, addresses, public hosts,
 *   loopback, `{domain}`), deduplication and order, overrides, refusals naming the key; the
 *   CiliumNetworkPolicy against its CRD schema;
 * - config: errors of the whole stack config with key paths, the plugin per cluster target;
 * - tier 2: the runtime's policy reaches its in-cluster model endpoint; the Hypha worker and the
 *   ai-agents platform get CiliumNetworkPolicies on Cilium and none elsewhere.
 * Whole stacks rendered (tier 3): endpoints.integration.test.ts.
 */
import { expect } from "chai";
import { AgentRuntime, AgentRuntimeArgs, runtimeEndpoints } from "../../components/agent-runtime";
import { HyphaWorker } from "../../components/hypha-worker";
import {
    buildEgressRules,
    buildNetworkPolicySpec,
    NetworkPolicy,
    NetworkPolicyArgs,
    resolveNetworkPolicyArgs,
    ServiceEndpoint,
} from "../../components/network-policy";
import { buildApiServerCiliumPolicySpec, clusterCni } from "../../components/network-policy/cilium";
import { deriveEndpointEgress, EndpointContext, placeEndpoint } from "../../components/network-policy/endpoints";
import { networkPolicyClusterSchema, serviceNetworkPolicySchema } from "../../components/network-policy/schema";
import { withClusterCni } from "../../components/network-policy";
import { checkObjects, parsePolicyConfig } from "../../policies/evaluate";
import { backendArgs, recordBackend } from "../agent-backend/fixtures";
import { clusterNetwork, renderPlatform } from "../ai-agents/fixtures";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";
import { configProblems, testConfig } from "../helpers/stack-config";
import { workerArgs } from "../hypha-worker/worker-args";

const PUBLIC_EXCEPT = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "10.244.0.0/16", "10.0.0.0/16"];
const ns = (name: string) => ({ "kubernetes.io/metadata.name": name });
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: "TCP" }));

function context(overrides: Partial<EndpointContext> = {}): EndpointContext {
    return {
        platformDomain: "example.com",
        clusterCidrs: ["10.244.0.0/16", "10.0.0.0/16"],
        internetExcept: PUBLIC_EXCEPT,
        internetPorts: [443],
        overrides: {},
        overridesPath: ["agentRuntime", "networkPolicy", "endpoints"],
        ...overrides,
    };
}

const endpoint = (url: string | undefined, name = "openaiApiBase"): ServiceEndpoint => ({ name, path: ["agentRuntime", "settings", name], url });
const derive = (urls: (string | undefined)[], ctx: Partial<EndpointContext> = {}) =>
    deriveEndpointEgress(
        urls.map((url, i) => endpoint(url, `url${i}`)),
        context(ctx),
    );
/** The peers of one URL; fails on problems. */
function peersOf(url: string, ctx: Partial<EndpointContext> = {}) {
    const { peers, problems } = deriveEndpointEgress([endpoint(url)], context(ctx));
    expect(problems, JSON.stringify(problems)).to.deep.equal([]);
    return peers;
}
function problemsOf(url: string, ctx: Partial<EndpointContext> = {}): string[] {
    return deriveEndpointEgress([endpoint(url)], context(ctx)).problems.map((p) => `${p.path.join(".")}: ${p.message}`);
}

describe("endpoint egress: where a URL points", () => {
    it("reads a bare Service name as the service's own namespace (a pod-only peer), on the URL's port", () => {
        expect(placeEndpoint("http://vllm:8000/v1")).to.deep.equal({ kind: "service", host: "vllm", port: 8000, service: "vllm" });
        expect(peersOf("http://vllm:8000/v1")).to.deep.equal([{ podSelector: {}, ports: tcp(8000) }]);
    });

    it("reads svc.ns, svc.ns.svc, svc.ns.svc.cluster.local and a headless Service's pod as namespace ns", () => {
        for (const url of [
            "http://ministral-vllm.staging/v1",
            "http://ministral-vllm.staging.svc/v1",
            "http://ministral-vllm.staging.svc.cluster.local/v1",
            "http://MINISTRAL-VLLM.Staging.svc.cluster.local./v1",
            "http://vllm-0.ministral-vllm.staging.svc.cluster.local/v1",
        ]) {
            expect(peersOf(url), url).to.deep.equal([{ namespaceSelector: ns("staging"), ports: tcp(80) }]);
        }
    });

    it("uses each scheme's port: https 443, ws 80, postgres 5432, mysql 3306, redis 6379, else the URL's", () => {
        const none = { internetPorts: [] };
        expect(peersOf("https://model.ai-models", none)).to.deep.equal([{ namespaceSelector: ns("ai-models"), ports: tcp(443) }]);
        expect(peersOf("ws://hypha-server.hypha/ws")[0]!.ports).to.deep.equal(tcp(80));
        expect(peersOf("postgresql://user@pg.databases/app")).to.deep.equal([{ namespaceSelector: ns("databases"), ports: tcp(5432) }]);
        expect(peersOf("mysql://db.data.svc.cluster.local/app")[0]!.ports).to.deep.equal(tcp(3306));
        expect(peersOf("redis://cache.data")[0]!.ports).to.deep.equal(tcp(6379));
        expect(peersOf("grpc://engine.models:50051")[0]!.ports).to.deep.equal(tcp(50051));
    });

    it("needs no rule for loopback: localhost, 127.0.0.0/8 and [::1] never leave the pod", () => {
        for (const url of ["http://localhost:9541/v1", "http://127.0.0.1:54321", "http://127.1.2.3", "http://[::1]:8000", "http://api.localhost"]) {
            expect(placeEndpoint(url).kind, url).to.equal("pod");
            expect(peersOf(url), url).to.deep.equal([]);
        }
    });

    it("allows an IPv4 address as a /32 on its port", () => {
        expect(peersOf("http://20.50.60.70:8443/v1")).to.deep.equal([{ cidr: "20.50.60.70/32", ports: tcp(8443) }]);
        expect(peersOf("http://192.168.5.9/v1")).to.deep.equal([{ cidr: "192.168.5.9/32", ports: tcp(80) }]);
    });

    it("leaves a public host on a covered port to the internet rule, and opens another port (or any port without it) on the public addresses only", () => {
        expect(peersOf("https://staging-project.supabase.co")).to.deep.equal([]);
        expect(peersOf("https://staging-project.supabase.co", { internetPorts: [] })).to.deep.equal([
            { cidr: "0.0.0.0/0", except: PUBLIC_EXCEPT, ports: tcp(443) },
        ]);
        expect(peersOf("http://llm.example.org:8080/v1")).to.deep.equal([{ cidr: "0.0.0.0/0", except: PUBLIC_EXCEPT, ports: tcp(8080) }]);
    });

    it("reads svc.example.com-like names as public: `svc` counts only before the cluster domain", () => {
        for (const url of ["http://a.b.svc.example.com:8080", "http://foo.svc.example.com:8080", "http://a.b.c:8080"]) {
            expect(placeEndpoint(url).kind, url).to.equal("outside");
        }
    });

    it("replaces {domain} and reads the platform domain and names under it as public, never as Service `example` in `com`", () => {
        expect(placeEndpoint("https://{domain}/api", { platformDomain: "example.com" })).to.deep.equal({ kind: "outside", host: "example.com", port: 443 });
        expect(placeEndpoint("https://mcp.{domain}/mcp", { platformDomain: "example.com" }).kind).to.equal("outside");
        expect(peersOf("http://{domain}:8080/api")).to.deep.equal([{ cidr: "0.0.0.0/0", except: PUBLIC_EXCEPT, ports: tcp(8080) }]);
    });

    it("reads a one-dot public name as a Service (the resolver tries the search list first) unless `outsideCluster` or a trailing dot says otherwise", () => {
        expect(placeEndpoint("https://openrouter.ai/api/v1")).to.include({ kind: "service", namespace: "ai" });
        expect(placeEndpoint("https://openrouter.ai/api/v1", { outsideCluster: true }).kind).to.equal("outside");
        expect(placeEndpoint("https://openrouter.ai./api/v1").kind).to.equal("outside");
        expect(peersOf("https://openrouter.ai/api/v1", { overrides: { openaiApiBase: { outsideCluster: true } } })).to.deep.equal([]);
    });
});

describe("endpoint egress: refusals name the key", () => {
    const cases: Array<[string, string, string]> = [
        ["no URL", "not a url", "agentRuntime.settings.openaiApiBase: 'not a url' is not a URL (allowed: a URL with a host"],
        ["no host", "file:///tmp/socket", "agentRuntime.settings.openaiApiBase: 'file:///tmp/socket' has no host"],
        [
            "a scheme without a known port",
            "ftp://files.example.com/x",
            "agentRuntime.settings.openaiApiBase: 'ftp://files.example.com/x': scheme 'ftp' has no known port",
        ],
        ["an IPv6 address", "http://[fd00::1]:8000", "agentRuntime.settings.openaiApiBase: 'http://[fd00::1]:8000': IPv6 addresses are not supported"],
        ["0.0.0.0", "http://0.0.0.0:8000", "agentRuntime.settings.openaiApiBase: 'http://0.0.0.0:8000': 0.0.0.0 is not a destination"],
        ["a Service address", "http://10.0.12.7/v1", "agentRuntime.settings.openaiApiBase: '10.0.12.7' lies in the cluster's range 10.0.0.0/16"],
        ["a pod address", "http://10.244.3.4:8000/v1", "agentRuntime.settings.openaiApiBase: '10.244.3.4' lies in the cluster's range 10.244.0.0/16"],
    ];
    for (const [what, url, message] of cases) {
        it(what, () => {
            const problems = problemsOf(url);
            expect(
                problems.some((p) => p.startsWith(message)),
                `${problems.join("\n")}\n  should include: ${message}`,
            ).to.equal(true);
        });
    }

    it("a {domain} URL without the platform domain", () => {
        expect(problemsOf("https://mcp.{domain}/mcp", { platformDomain: undefined })).to.deep.equal([
            "agentRuntime.settings.openaiApiBase: 'https://mcp.{domain}/mcp' needs the platform domain for {domain} (allowed: set `platform.domain`, or a URL without {domain})",
        ]);
    });

    it("overrides of an unknown setting, of a setting that is not set, and fields that do not fit the destination", () => {
        const endpoints = [
            endpoint("https://api.openai.com/v1", "openaiApiBase"),
            endpoint("http://vllm.models", "modelUrl"),
            endpoint(undefined, "langfuseBaseUrl"),
        ];
        const { problems } = deriveEndpointEgress(
            endpoints,
            context({
                overrides: {
                    openaiApiBse: { targetPort: 1 },
                    langfuseBaseUrl: { targetPort: 3000 },
                    openaiApiBase: { podSelector: { app: "x" } },
                    modelUrl: { cidr: "10.1.0.0/16" },
                },
            }),
        );
        expect(problems.map((p) => `${p.path.join(".")}: ${p.message}`)).to.deep.equal([
            "agentRuntime.networkPolicy.endpoints.langfuseBaseUrl: is set but `agentRuntime.settings.langfuseBaseUrl` is not (allowed: remove it, or set the URL)",
            "agentRuntime.networkPolicy.endpoints.openaiApiBse: is not an endpoint of this service (allowed: openaiApiBase, modelUrl, langfuseBaseUrl)",
            "agentRuntime.networkPolicy.endpoints.openaiApiBase.podSelector: is not used: 'api.openai.com' is outside the cluster (allowed: remove it)",
            "agentRuntime.networkPolicy.endpoints.modelUrl.cidr: is not used: 'vllm.models' is a Service of this cluster, reached at its pods' addresses (use `podSelector`, or `outsideCluster` for a name outside the cluster) (allowed: remove it)",
        ]);
    });

    it("override values against the schema: port range, labels, CIDR, podSelector with cidr", () => {
        const result = serviceNetworkPolicySchema.safeParse({
            endpoints: { openaiApiBase: { targetPort: 70000, podSelector: {} }, supabaseUrl: { cidr: "10.1.1.0/16", podSelector: { app: "x" } } },
        });
        expect(result.success).to.equal(false);
        const badKey = serviceNetworkPolicySchema.safeParse({ endpoints: { "openai-api-base": {} } });
        expect(badKey.error!.issues.map((i) => i.path.join("."))).to.deep.equal(["endpoints.openai-api-base"]);
        expect(result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).to.include.members([
            "endpoints.openaiApiBase.targetPort: '70000' is not allowed (allowed: a port number from 1 to 65535)",
            "endpoints.openaiApiBase.podSelector: must name at least one label; an empty selector matches everything (allowed: a non-empty map of Kubernetes label keys to values)",
            "endpoints.supabaseUrl.cidr: '10.1.1.0/16' is not allowed (allowed: an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16)",
            "endpoints.supabaseUrl.podSelector: is for a destination in the cluster; `cidr` and `outsideCluster` are for one outside it (allowed: one of the two)",
        ]);
    });
});

describe("endpoint egress: overrides, deduplication and order", () => {
    it("states the pods' port behind a Service (targetPort) and narrows to pods (podSelector)", () => {
        expect(
            peersOf("http://ministral-vllm.staging.svc.cluster.local/v1", { overrides: { openaiApiBase: { targetPort: 8000, podSelector: { app: "vllm" } } } }),
        ).to.deep.equal([{ namespaceSelector: ns("staging"), podSelector: { app: "vllm" }, ports: tcp(8000) }]);
    });

    it("sends a host that resolves privately to its cidr instead of the public addresses", () => {
        expect(peersOf("https://db.privatelink.example.net", { overrides: { openaiApiBase: { cidr: "10.30.0.0/24" } } })).to.deep.equal([
            { cidr: "10.30.0.0/24", ports: tcp(443) },
        ]);
    });

    it("gives one peer per destination with every port once, sorted, whatever the order of the settings", () => {
        const urls = [
            "http://vllm.models:8000",
            "http://embed.models:80",
            "http://vllm.models.svc:8000/v2",
            "http://20.1.1.1:9000",
            "http://local:81",
            "http://other:80",
            "http://llm.example.org:8080",
            "http://b.example.org:7000",
        ];
        const forward = derive(urls);
        expect(forward.problems).to.deep.equal([]);
        expect(forward.peers).to.deep.equal([
            { namespaceSelector: ns("models"), ports: tcp(80, 8000) },
            { podSelector: {}, ports: tcp(80, 81) },
            { cidr: "0.0.0.0/0", except: PUBLIC_EXCEPT, ports: tcp(7000, 8080) },
            { cidr: "20.1.1.1/32", ports: tcp(9000) },
        ]);
        expect(derive([...urls].reverse()).peers).to.deep.equal(forward.peers);
    });

    it("writes a rule that the code, an endpoint and extraEgress produce alike only once", () => {
        const args: NetworkPolicyArgs = {
            identity: { name: "fractal-agents-runtime", instance: "agent-runtime", component: "runtime" },
            namespace: "agents",
            cluster: networkPolicyClusterSchema.parse({}),
            service: serviceNetworkPolicySchema.parse({ internet: false, extraEgress: [{ namespaceSelector: ns("staging"), ports: [{ port: 80 }] }] }),
            egressTo: [{ namespaceSelector: ns("staging"), ports: [{ port: 80, protocol: "TCP" }] }],
            endpoints: [endpoint("http://ministral-vllm.staging.svc.cluster.local/v1")],
        };
        const rules = buildEgressRules(resolveNetworkPolicyArgs(args));
        expect(rules).to.have.length(2);
        expect(rules[1]).to.deep.equal({ to: [{ namespaceSelector: { matchLabels: ns("staging") } }], ports: tcp(80) });
    });

    it("lists the runtime's settings, LangSmith only with tracing on", () => {
        const config = testConfig({ agentRuntime: { settings: { openaiApiBase: "http://vllm.models/v1", langchainTracingV2: true } } }).agentRuntime;
        expect(runtimeEndpoints(config).map((e) => [e.name, e.url])).to.deep.equal([
            ["supabaseUrl", undefined],
            ["openaiApiBase", "http://vllm.models/v1"],
            ["langfuseBaseUrl", undefined],
            ["langsmith", "https://api.smith.langchain.com"],
        ]);
    });
});

describe("the API server on Cilium: the CiliumNetworkPolicy", () => {
    it("allows only the kube-apiserver entity on the API ports over TCP, and is valid against the CRD schema", async () => {
        const spec = buildApiServerCiliumPolicySpec({ matchLabels: { app: "worker" } }, [6443, 443, 443]);
        expect(spec["egress"]).to.deep.equal([
            {
                toEntities: ["kube-apiserver"],
                toPorts: [
                    {
                        ports: [
                            { port: "443", protocol: "TCP" },
                            { port: "6443", protocol: "TCP" },
                        ],
                    },
                ],
            },
        ]);
        expect(spec["ingress"], "no ingress section: ingress is left to the NetworkPolicy").to.equal(undefined);
        await validateAgainstSchema({
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "worker-kube-apiserver", namespace: "agents" },
            spec,
        } as any);
    });

    it("is schema-checked for real: a misspelt entity or a numeric port is refused", async () => {
        const bad = {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "x" },
            spec: { endpointSelector: {}, egress: [{ toEntities: ["kube-api-server"] }] },
        };
        let error: unknown;
        await validateAgainstSchema(bad as any).catch((err) => (error = err));
        expect(String(error)).to.contain("toEntities");
    });

    it("knows the plugin: declared, else cilium on aks, generic on kubeconfig", () => {
        expect(clusterCni(undefined, "aks")).to.equal("cilium");
        expect(clusterCni(undefined, "kubeconfig")).to.equal("generic");
        expect(clusterCni("generic", "aks")).to.equal("generic");
        expect(clusterCni("cilium", "kubeconfig")).to.equal("cilium");
        expect(withClusterCni(networkPolicyClusterSchema.parse({}), "aks").cni).to.equal("cilium");
    });

    it("drops the ipBlock rule on Cilium unless addresses are listed, and no longer demands them", () => {
        const args = (cluster: unknown): NetworkPolicyArgs => ({
            identity: { name: "hypha-k8s-worker", instance: "hypha-k8s-worker", component: "worker" },
            namespace: "agents",
            cluster: networkPolicyClusterSchema.parse(cluster),
            service: serviceNetworkPolicySchema.parse({ internet: false }),
            apiServer: true,
        });
        const cilium = resolveNetworkPolicyArgs(args({ cni: "cilium" }));
        expect(cilium.ciliumApiServer).to.deep.equal({ ports: [443, 6443] });
        expect(buildNetworkPolicySpec(cilium).egress).to.have.length(1, "DNS only");
        const both = resolveNetworkPolicyArgs(args({ cni: "cilium", apiServer: { cidrs: ["20.1.2.3/32"] } }));
        expect(buildNetworkPolicySpec(both).egress).to.have.length(2);
        expect(() => resolveNetworkPolicyArgs(args({}))).to.throw(
            /^networkPolicy\.apiServer\.cidrs: is required because hypha-k8s-worker calls the Kubernetes API/,
        );
        expect(resolveNetworkPolicyArgs(args({ apiServer: { cidrs: ["20.1.2.3/32"] } })).ciliumApiServer).to.equal(undefined);
    });
});

describe("endpoint egress: the stack config", () => {
    const AKS = { target: "aks", aks: { location: "westeurope" } };
    const AI_AGENTS = {
        enabled: true,
        image: { tag: "1.4.2" },
        secrets: { mode: "existing", existingSecret: { name: "ai-agents-secrets" } },
        settings: { oidc: { issuer: "https://auth.example.com", clientId: "ai-agents", redirectUri: "https://agents.example.com/api/auth/callback" } },
    };

    it("needs no API server addresses for the ai-agents platform and the Hypha worker on AKS (Cilium), and does on a generic cluster", () => {
        expect(() => testConfig({ cluster: AKS, aiAgents: AI_AGENTS, hyphaWorker: { enabled: true } })).not.to.throw();
        const generic = configProblems({ aiAgents: AI_AGENTS, hyphaWorker: { enabled: true } });
        const apiServer = generic.filter((p) => p.startsWith("agent-platform:networkPolicy.apiServer.cidrs:"));
        expect(apiServer).to.have.length(1);
        expect(apiServer[0]).to.contain("because the ai-agents API, processor, webhooks, executors and the Hypha worker call");
        expect(
            configProblems({ cluster: AKS, networkPolicy: { cni: "generic" }, aiAgents: AI_AGENTS }).some((p) =>
                p.startsWith("agent-platform:networkPolicy.apiServer.cidrs:"),
            ),
        ).to.equal(true);
        expect(() => testConfig({ networkPolicy: { cni: "cilium" }, aiAgents: AI_AGENTS, hyphaWorker: { enabled: true } })).not.to.throw();
    });

    it("reports a URL no rule can be derived from and a stray override with their keys, before any resource", () => {
        const problems = configProblems({
            agentRuntime: { settings: { openaiApiBase: "http://10.0.3.4/v1" }, networkPolicy: { endpoints: { openaiApiBse: { targetPort: 8000 } } } },
            hyphaWorker: { enabled: true, hypha: { serverUrl: "http://[fd00::5]:9520" } },
            networkPolicy: { apiServer: { cidrs: ["20.1.2.3/32"] } },
        });
        expect(problems).to.include.members([
            "agent-platform:agentRuntime.settings.openaiApiBase: '10.0.3.4' lies in the cluster's range 10.0.0.0/16: pod and Service addresses change and a NetworkPolicy never sees a Service's address (allowed: the Service's name, `<service>.<namespace>`)",
            "agent-platform:agentRuntime.networkPolicy.endpoints.openaiApiBse: is not an endpoint of this service (allowed: supabaseUrl, openaiApiBase, langfuseBaseUrl, langsmith)",
            "agent-platform:hyphaWorker.hypha.serverUrl: 'http://[fd00::5]:9520': IPv6 addresses are not supported; the address rules are IPv4 only (allowed: a host name or an IPv4 address)",
        ]);
    });

    it("checks nothing of a service whose policy is off", () => {
        expect(() => testConfig({ agentRuntime: { settings: { openaiApiBase: "http://10.0.3.4/v1" }, networkPolicy: { enabled: false } } })).not.to.throw();
    });
});

describe("components under mocks: derived egress and the CiliumNetworkPolicy", () => {
    const ALL_MANDATORY = parsePolicyConfig({ all: "mandatory" });
    const runtimeArgs = (settings: Record<string, unknown>, networkPolicy: Record<string, unknown> = {}): AgentRuntimeArgs => {
        const config = testConfig({ agentRuntime: { settings, networkPolicy } });
        return { config: config.agentRuntime, images: { pullSecrets: [] }, namespace: "agents", networkPolicy: withClusterCni(config.networkPolicy, "aks") };
    };

    it("the runtime's policy allows its in-cluster model endpoint's namespace on the pods' port, and the internet rule covers Supabase", async () => {
        const settings = {
            supabaseUrl: "https://staging-project.supabase.co",
            openaiApiBase: "http://ministral-vllm.staging.svc.cluster.local/v1",
            langchainTracingV2: true,
        };
        const plain = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs(settings), { providers: [provider] }));
        const egress = (plain.object("NetworkPolicy").spec as any).egress;
        expect(egress).to.deep.include({ to: [{ namespaceSelector: { matchLabels: ns("staging") } }], ports: tcp(80) });
        expect(egress.map((rule: any) => rule.ports.map((p: any) => p.port).join(","))).to.deep.equal(["53,53", "80", "443"]);

        const stated = await recordComponents(
            (provider) => new AgentRuntime("rt", runtimeArgs(settings, { endpoints: { openaiApiBase: { targetPort: 8000 } } }), { providers: [provider] }),
        );
        const policy = stated.object("NetworkPolicy");
        expect((policy.spec as any).egress[1]).to.deep.equal({ to: [{ namespaceSelector: { matchLabels: ns("staging") } }], ports: tcp(8000) });
        expect(
            stated.objects.map((o) => o.kind),
            "the runtime never calls the API: no CiliumNetworkPolicy",
        ).not.to.include("CiliumNetworkPolicy");
        await validateAgainstSchema(policy);
    });

    it("the Hypha worker gets a CiliumNetworkPolicy for the API server on Cilium, selecting its pods, and no ipBlock rule", async () => {
        const args = workerArgs({}, {}, { cni: "cilium", apiServer: { cidrs: [] } });
        const r = await recordComponents((provider) => new HyphaWorker("hypha", args, { providers: [provider] }));
        const cnp: any = r.object("CiliumNetworkPolicy", "hypha-k8s-worker-kube-apiserver");
        const policy: any = r.object("NetworkPolicy");
        expect(cnp.metadata.namespace).to.equal("agents");
        expect(cnp.spec.endpointSelector).to.deep.equal(policy.spec.podSelector);
        expect(cnp.spec.egress).to.deep.equal([
            {
                toEntities: ["kube-apiserver"],
                toPorts: [
                    {
                        ports: [
                            { port: "443", protocol: "TCP" },
                            { port: "6443", protocol: "TCP" },
                        ],
                    },
                ],
            },
        ]);
        expect(policy.spec.egress.some((rule: any) => rule.to.some((peer: any) => peer.ipBlock && peer.ipBlock.cidr !== "0.0.0.0/0"))).to.equal(false);
        const resource = r.recording.resources.find((x) => x.type === "kubernetes:cilium.io/v2:CiliumNetworkPolicy")!;
        expect(resource.provider).to.match(/::test-k8s::/);
        for (const object of r.objects) await validateAgainstSchema(object);
        expect(checkObjects(r.objects, ALL_MANDATORY)).to.deep.equal([]);
    });

    it("the Hypha worker gets none on a generic cluster: the ipBlock rule reaches the API server there", async () => {
        const r = await recordComponents((provider) => new HyphaWorker("hypha", workerArgs(), { providers: [provider] }));
        expect(r.objects.map((o) => o.kind)).not.to.include("CiliumNetworkPolicy");
        expect((r.object("NetworkPolicy").spec as any).egress.at(-1).to).to.deep.equal([{ ipBlock: { cidr: "20.50.60.70/32" } }]);
    });

    it("every ai-agents process that calls the API gets one on Cilium (the executor's with its raw selector), none elsewhere", async () => {
        const cilium = await renderPlatform({ processor: { enabled: true } }, { networkPolicy: clusterNetwork({ cni: "cilium", apiServer: { cidrs: [] } }) });
        const cnps = cilium.objects.filter((o) => o.kind === "CiliumNetworkPolicy");
        expect(cnps.map((o) => o.metadata.name)).to.have.members([
            "ai-agents-api-kube-apiserver",
            "ai-agents-processor-kube-apiserver",
            "ai-agents-executor-kube-apiserver",
            "ai-agents-token-refresh-kube-apiserver",
        ]);
        const executor: any = cnps.find((o) => o.metadata.name === "ai-agents-executor-kube-apiserver");
        const executorPolicy: any = cilium.object("NetworkPolicy", "ai-agents-executor");
        expect(executor.spec.endpointSelector).to.deep.equal(executorPolicy.spec.podSelector);
        expect(executor.spec.endpointSelector.matchExpressions).to.have.length(2);
        for (const object of cnps) await validateAgainstSchema(object);

        const generic = await renderPlatform({ processor: { enabled: true } });
        expect(generic.objects.map((o) => o.kind)).not.to.include("CiliumNetworkPolicy");
    });

    it("the backend reaches an in-cluster MCP server on its pods' port; its migration Job's policy (same block, no endpoints) derives nothing", async () => {
        const args = backendArgs({
            mcpUrl: "http://seqera-mcp.mcp:8080/mcp",
            migrations: { mode: "job" },
            networkPolicy: { endpoints: { mcpUrl: { targetPort: 9000 } } },
        });
        const r = await recordBackend(args);
        const backend: any = r.object("NetworkPolicy", "agent-backend");
        expect(backend.spec.egress).to.deep.include({ to: [{ namespaceSelector: { matchLabels: ns("mcp") } }], ports: tcp(9000) });
        const migration: any = r.object("NetworkPolicy", "agent-backend-migration");
        expect(migration.spec.egress.map((rule: any) => rule.ports.map((p: any) => p.port).join(","))).to.deep.equal(["53,53", "3306"]);
    });

    it("a NetworkPolicy on Cilium with addresses listed keeps its ipBlock rule and adds the entity", async () => {
        const args: NetworkPolicyArgs = {
            identity: { name: "w", instance: "w", component: "worker" },
            namespace: "agents",
            cluster: networkPolicyClusterSchema.parse({ cni: "cilium", apiServer: { cidrs: ["20.1.2.3/32"] } }),
            service: serviceNetworkPolicySchema.parse({}),
            apiServer: true,
        };
        const r = await recordComponents((provider) => new NetworkPolicy("np", args, { providers: [provider] }));
        expect(r.objects.map((o) => o.kind)).to.have.members(["NetworkPolicy", "CiliumNetworkPolicy"]);
        expect((r.object("NetworkPolicy").spec as any).egress.at(-1).to).to.deep.equal([{ ipBlock: { cidr: "20.1.2.3/32" } }]);
    });
});
