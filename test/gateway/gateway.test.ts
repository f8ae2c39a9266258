/**
 * The stack's ingress path (components/gateway, addons.traefik, addons.certManager.acme):
 * - tier 1: the cross-block rules through the whole-stack parser (errors name the key), the
 *   Gateway plan, the wiring of routes and NetworkPolicy peers, the builders, and the Traefik
 *   values against the policy pack on the pod the chart renders from them;
 * - tier 2: ClusterAddons and StackGateway under the mocks, every object schema-valid.
 */
import { expect } from "chai";
import { ClusterAddons, enabledAddonCharts, gatewayApiCrdsUrl } from "../../components/addons";
import { buildClusterIssuer, buildGatewaySpec, buildRedirectRouteSpec, buildTraefikValues } from "../../components/gateway/build";
import { resolveStackGateway, wireStackIngress } from "../../components/config";
import { StackGateway } from "../../components/gateway";
import { stackControllerPeer, TRAEFIK_POD_LABELS } from "../../components/gateway/plan";
import { checkObject, parsePolicyConfig } from "../../policies/evaluate";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";
import { configProblems, testConfig } from "../helpers/stack-config";
import { ENABLED_BLOCK } from "../ai-agents/fixtures";

const AKS = { target: "aks", aks: { location: "westeurope" } };
const ACME = { email: "platform@example.com" };
const INGRESS = { enabled: true, mode: "gatewayApi", host: "agent-api.{domain}" };
/** An AKS stack serving the runtime through the stack's Gateway. */
const SERVED = {
    cluster: AKS,
    platform: { domain: "example.com" },
    addons: { certManager: { enabled: true, acme: ACME }, traefik: { enabled: true, dnsLabel: "agents-test" } },
    agentRuntime: { ingress: { ...INGRESS, streaming: { readTimeoutSeconds: 600, sendTimeoutSeconds: 600 } } },
};

/** The problems of a config at the ingress path's keys (other blocks' AKS rules left out). */
function ingressProblems(blocks: Record<string, unknown>): string[] {
    return configProblems(blocks).filter((p) =>
        /^agent-platform:(addons|networkPolicy\.ingressController|agentRuntime\.ingress|agentBackend\.ingress|aiAgents\.ingress)/.test(p),
    );
}

describe("stack ingress path: config rules, checked before any resource", () => {
    it("accepts an AKS stack that installs Traefik and an ACME issuer and routes through the Gateway", () => {
        expect(() => testConfig(SERVED)).not.to.throw();
    });

    it("refuses an Ingress on a cluster the stack creates, naming the mode key", () => {
        const problems = ingressProblems({ ...SERVED, agentRuntime: { ingress: { enabled: true, className: "nginx", host: "agent-api.{domain}" } } });
        expect(problems).to.deep.equal([
            "agent-platform:agentRuntime.ingress.mode: 'ingress' needs an ingress controller, and a cluster the stack creates has none but the stack's Gateway (allowed: gatewayApi, with `addons.traefik.enabled: true`)",
        ]);
    });

    it("refuses a route without a Gateway when the stack installs none", () => {
        const problems = ingressProblems({
            cluster: { kubeconfigPath: "/k" },
            agentRuntime: { ingress: { enabled: true, mode: "gatewayApi", host: "a.example.com" } },
        });
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^agent-platform:agentRuntime\.ingress\.gateway: is required: the stack installs no Gateway/);
    });

    it("refuses, on AKS, a Gateway the stack does not create", () => {
        const problems = ingressProblems({ ...SERVED, agentRuntime: { ingress: { ...INGRESS, gateway: { name: "other", namespace: "gateways" } } } });
        expect(problems[0]).to.match(
            /^agent-platform:agentRuntime\.ingress\.gateway: names a Gateway the stack does not create, on a cluster it creates \(allowed: unset, for the stack's Gateway traefik\/public/,
        );
    });

    it("needs cert-manager with an ACME issuer for the Gateway's certificates, and validates its e-mail", () => {
        const needs =
            "agent-platform:addons.traefik.enabled: needs `addons.certManager.enabled: true` and `addons.certManager.acme`: the Gateway's HTTPS listeners get their certificates from that ACME ClusterIssuer (allowed: `acme.email`, optionally `acme.server` and `acme.issuerName`)";
        expect(ingressProblems({ ...SERVED, addons: { traefik: { enabled: true } } })).to.deep.equal([needs]);
        expect(ingressProblems({ ...SERVED, addons: { traefik: { enabled: true }, certManager: { enabled: true } } })).to.deep.equal([needs]);
        const bad = ingressProblems({ ...SERVED, addons: { ...SERVED.addons, certManager: { enabled: true, acme: { email: "platform-at-example" } } } });
        expect(bad).to.have.length(1);
        expect(bad[0]).to.match(/^agent-platform:addons\.certManager\.acme\.email: .*e-mail/);
    });

    it("refuses an ACME issuer without the Gateway that answers its challenges", () => {
        const problems = ingressProblems({ cluster: { kubeconfigPath: "/k" }, addons: { certManager: { enabled: true, acme: ACME } } });
        expect(problems).to.deep.equal([
            "agent-platform:addons.certManager.acme: solves HTTP-01 challenges through the stack's Gateway, so it needs `addons.traefik.enabled: true` (allowed: remove it, or install Traefik)",
        ]);
    });

    it("refuses a typed ingress-controller peer when the stack installs the controller", () => {
        const problems = ingressProblems({
            ...SERVED,
            networkPolicy: { ingressController: { namespaceSelector: { "kubernetes.io/metadata.name": "traefik" } } },
        });
        expect(problems[0]).to.match(/^agent-platform:networkPolicy\.ingressController: is derived from `addons\.traefik`/);
    });

    it("refuses an Azure DNS label on a kubeconfig cluster", () => {
        const problems = ingressProblems({
            cluster: { kubeconfigPath: "/k" },
            addons: { certManager: { enabled: true, acme: ACME }, traefik: { enabled: true, dnsLabel: "agents-test" } },
        });
        expect(problems).to.deep.equal([
            "agent-platform:addons.traefik.dnsLabel: names an Azure public IP, so it needs `cluster.target: aks` (allowed: unset with a kubeconfig target)",
        ]);
    });

    it("keeps a kubeconfig stack's own Ingress on the controller it declares", () => {
        const config = testConfig({ agentRuntime: { ingress: { enabled: true, className: "nginx", host: "a.example.com" } } });
        expect(wireStackIngress(config)).to.equal(config);
        expect(resolveStackGateway(config)).to.equal(undefined);
    });
});

describe("stack ingress path: the Gateway plan and the wiring", () => {
    const BACKEND = {
        enabled: true,
        image: { registry: "cr.seqera.io" },
        database: { host: "10.30.0.4", name: "agent_backend", username: "agent_backend" },
        ingress: { enabled: true, mode: "gatewayApi", host: "ai.{domain}" },
    };
    const config = testConfig({ ...SERVED, agentBackend: BACKEND });

    it("gives the Gateway one host per routed host, the issuer, the longest route timeout and the load balancer's DNS name", () => {
        expect(resolveStackGateway(config)).to.deep.equal({
            name: "public",
            namespace: "traefik",
            className: "traefik",
            routeNamespace: "agent-platform",
            hosts: ["agent-api.example.com", "ai.example.com"],
            issuer: { name: "letsencrypt", email: "platform@example.com", server: "https://acme-v02.api.letsencrypt.org/directory" },
            longestTimeoutSeconds: 3600,
            address: "agents-test.westeurope.cloudapp.azure.com",
        });
    });

    it("puts the ai-agents split routes on the stack's Gateway too, one listener for their shared host", () => {
        const ai = {
            ...ENABLED_BLOCK,
            ingress: {
                enabled: true,
                mode: "gatewayApi",
                host: "agents.{domain}",
                forwardAuth: { url: "http://authelia.authelia.svc.cluster.local/api/authz/forward-auth" },
            },
        };
        const withAi = testConfig({ ...SERVED, aiAgents: ai, networkPolicy: { apiServer: { cidrs: ["172.16.0.1/32"] } } });
        expect(resolveStackGateway(withAi)!.hosts).to.deep.equal(["agent-api.example.com", "agents.example.com"]);
        expect(wireStackIngress(withAi).aiAgents.ingress.gateway).to.deep.equal({ name: "public", namespace: "traefik" });
        expect(
            ingressProblems({
                ...SERVED,
                aiAgents: { ...ai, ingress: { ...ai.ingress, forwardAuth: undefined } },
                networkPolicy: { apiServer: { cidrs: ["172.16.0.1/32"] } },
            }),
        ).to.deep.equal([
            "agent-platform:aiAgents.ingress.forwardAuth: is required with `mode: gatewayApi`: the protected HTTPRoute needs a forward-auth endpoint (allowed: `forwardAuth.url`, e.g. Authelia's forward-auth URL)",
        ]);
    });

    it("attaches every route without a Gateway to the stack's, over HTTPS, and lets exactly the Traefik pods in", () => {
        const wired = wireStackIngress(config);
        expect(wired.agentRuntime.ingress.gateway).to.deep.equal({ name: "public", namespace: "traefik" });
        expect(wired.agentRuntime.ingress.tls.enabled).to.equal(true);
        expect(wired.agentBackend.ingress.gateway).to.deep.equal({ name: "public", namespace: "traefik" });
        expect(wired.networkPolicy.ingressController).to.deep.equal({
            namespaceSelector: { "kubernetes.io/metadata.name": "traefik" },
            podSelector: { "app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "traefik" },
        });
    });
});

describe("stack ingress path: builders", () => {
    const plan = resolveStackGateway(testConfig(SERVED))!;

    it("terminates TLS per host with its own certificate Secret, admitting routes only from the platform namespace", () => {
        const spec = buildGatewaySpec(plan) as any;
        expect(spec.listeners.map((l: any) => [l.name, l.protocol, l.port, l.hostname])).to.deep.equal([
            ["http", "HTTP", 8000, undefined],
            ["https-agent-api-example-com", "HTTPS", 8443, "agent-api.example.com"],
        ]);
        expect(spec.listeners[1].tls).to.deep.equal({ mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "agent-api-example-com-tls" }] });
        expect(spec.listeners[1].allowedRoutes.namespaces).to.deep.equal({
            from: "Selector",
            selector: { matchLabels: { "kubernetes.io/metadata.name": "agent-platform" } },
        });
        expect(spec.listeners[0].allowedRoutes.namespaces).to.deep.equal({ from: "Same" });
    });

    it("redirects plain HTTP to HTTPS with a 301", () => {
        expect(buildRedirectRouteSpec(plan)).to.deep.equal({
            parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", sectionName: "http" }],
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        });
    });

    it("solves HTTP-01 through the Gateway's HTTP listener", () => {
        const issuer = buildClusterIssuer(plan) as any;
        expect(issuer.spec.acme.solvers).to.deep.equal([
            {
                http01: {
                    gatewayHTTPRoute: {
                        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "traefik", sectionName: "http" }],
                    },
                },
            },
        ]);
        expect(buildClusterIssuer({ ...plan, issuer: undefined })).to.equal(undefined);
    });

    it("bounds Traefik's responses by the longest route timeout, since Traefik ignores HTTPRoute timeouts", () => {
        const values = buildTraefikValues(plan, { replicas: 2, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } }) as any;
        expect(values.ports.websecure.transport.respondingTimeouts.writeTimeout).to.equal("600s");
        expect(values.providers.kubernetesGateway.enabled).to.equal(true);
        expect([values.gateway.enabled, values.gatewayClass.enabled, values.ingressClass.enabled, values.providers.kubernetesIngress.enabled]).to.deep.equal([
            false,
            false,
            false,
            false,
        ]);
        expect(values.instanceLabelOverride).to.equal("traefik");
        expect(stackControllerPeer().podSelector).to.deep.equal(TRAEFIK_POD_LABELS);
    });
});

/**
 * The Deployment traefik/traefik 41.3.0 renders from `values` (templates/_podtemplate.tpl):
 * pod securityContext <- podSecurityContext, container securityContext <- securityContext,
 * resources <- resources, readiness/liveness httpGet /ping on the traefik port (8080),
 * automountServiceAccountToken: true, /data and /tmp emptyDirs. Only the fields the policies read.
 */
function traefikDeployment(values: any): unknown {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "traefik", namespace: "traefik" },
        spec: {
            template: {
                metadata: { labels: TRAEFIK_POD_LABELS },
                spec: {
                    serviceAccountName: "traefik",
                    automountServiceAccountToken: true,
                    securityContext: values.podSecurityContext,
                    volumes: [
                        { name: "data", emptyDir: {} },
                        { name: "tmp", emptyDir: {} },
                    ],
                    containers: [
                        {
                            name: "traefik",
                            image: "docker.io/traefik:v3.7.11",
                            resources: values.resources,
                            readinessProbe: { httpGet: { path: "/ping", port: 8080, scheme: "HTTP" } },
                            livenessProbe: { httpGet: { path: "/ping", port: 8080, scheme: "HTTP" } },
                            securityContext: values.securityContext,
                        },
                    ],
                },
            },
        },
    };
}

describe("stack ingress path: Traefik's own workload against the policy pack", () => {
    const plan = resolveStackGateway(testConfig(SERVED))!;
    const settings = testConfig(SERVED).addons.traefik;
    const allMandatory = parsePolicyConfig({ all: "mandatory" });

    it("passes every policy, advisory ones included, with the values the add-on passes", () => {
        expect(checkObject(traefikDeployment(buildTraefikValues(plan, settings)), allMandatory)).to.deep.equal([]);
    });

    it("would fail without the values' resources and hardening (the check can fail)", () => {
        const values = { ...(buildTraefikValues(plan, settings) as any), resources: {}, securityContext: { readOnlyRootFilesystem: false } };
        const policies = checkObject(traefikDeployment(values), allMandatory).map((v) => v.policy);
        expect(policies).to.include.members(["resource-requests-and-limits", "read-only-root-filesystem", "drop-all-capabilities"]);
    });
});

describe("stack ingress path: components under the mocks", () => {
    const config = testConfig(SERVED);
    const plan = resolveStackGateway(config)!;

    it("installs the pinned Gateway API CRDs first, then Traefik and cert-manager (with Gateway API support) after them", async () => {
        const r = await recordComponents((provider) => new ClusterAddons("addons", { config: config.addons, gateway: plan }, { providers: [provider] }));
        const crds = r.recording.resources.find((x) => x.type === "kubernetes:yaml/v2:ConfigFile")!;
        expect(crds.inputs["file"]).to.equal(gatewayApiCrdsUrl("v1.5.1"));
        expect(crds.inputs["file"]).to.equal("https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml");
        const charts = r.recording.resources.filter((x) => x.type === "kubernetes:helm.sh/v4:Chart");
        const traefik = charts.find((c) => c.inputs["chart"] === "traefik")!;
        const certManager = charts.find((c) => c.inputs["chart"] === "cert-manager")!;
        expect([traefik.inputs["version"], traefik.inputs["name"], traefik.inputs["namespace"]]).to.deep.equal(["41.3.0", "traefik", "traefik"]);
        expect(traefik.dependsOn).to.include(crds.urn);
        expect(certManager.dependsOn).to.include(crds.urn);
        expect((certManager.inputs["values"] as any).config).to.deep.equal({
            apiVersion: "controller.config.cert-manager.io/v1alpha1",
            kind: "ControllerConfiguration",
            enableGatewayAPI: true,
        });
        expect(r.object("Namespace", "traefik").metadata.labels!["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    });

    it("leaves cert-manager's Gateway API support off when the stack installs no Gateway API CRDs", () => {
        const plain = testConfig({ addons: { certManager: { enabled: true } } });
        const values = enabledAddonCharts(plain.addons)[0]!.values;
        expect(values).to.not.have.property("config");
        expect(values["crds"]).to.deep.equal({ enabled: true });
    });

    it("renders the GatewayClass, Gateway, redirect route and ClusterIssuer, all schema-valid", async () => {
        const r = await recordComponents((provider) => new StackGateway("gateway", { plan, crdsReady: [] }, { providers: [provider] }));
        expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).to.deep.equal([
            "ClusterIssuer/letsencrypt",
            "Gateway/public",
            "GatewayClass/traefik",
            "HTTPRoute/public-https-redirect",
        ]);
        for (const object of r.objects) await validateAgainstSchema(object);
        const gateway = r.object("Gateway", "public");
        expect(gateway.metadata.annotations).to.deep.equal({ "cert-manager.io/cluster-issuer": "letsencrypt" });
        expect((r.object("GatewayClass", "traefik") as any).spec.controllerName).to.equal("traefik.io/gateway-controller");
    });
});
