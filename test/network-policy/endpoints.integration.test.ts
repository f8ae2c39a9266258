/**
 * Tier 3: staging and dev rendered whole, every object schema-valid and policy-clean, and the
 * workloads reach (through the rendered policies, evaluated with Kubernetes and Cilium
 * semantics) exactly what their config says they talk to.
 */
import { expect } from "chai";
import { checkObjects, parsePolicyConfig } from "../../policies/evaluate";
import { buildNetwork, egressAllowed, type Endpoint } from "../../tools/connectivity/index";
import type { KubernetesObject } from "../../tools/render/manifests";
import { objectsOf } from "../../tools/render/render-stack";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { renderedStack } from "../helpers/render";

/** The real program under the render's mocks, as `npm run render` runs it. */
async function renderObjects(stack: string): Promise<KubernetesObject[]> {
    return objectsOf(await renderedStack(stack));
}

describe("whole stacks: every workload reaches what its config names", () => {
    const podOf = (objects: KubernetesObject[], instance: string): Endpoint => {
        const workload: any = objects.find((o) => o.kind === "Deployment" && o.metadata.name === instance);
        if (!workload) throw new Error(`no Deployment ${instance}`);
        return { pod: { namespace: workload.metadata.namespace, labels: workload.spec.template.metadata.labels } };
    };
    const elsewhere = (namespace: string, app: string): Endpoint => ({ pod: { namespace, labels: { app } } });

    describe("staging (AKS: Cilium)", () => {
        let objects: KubernetesObject[];
        before(async () => {
            objects = await renderObjects("staging");
        });

        it("renders every object schema-valid (the CiliumNetworkPolicies against their CRD) with no policy violation, every policy mandatory", async () => {
            expect(objects.filter((o) => o.kind === "CiliumNetworkPolicy").map((o) => o.metadata.name)).to.include.members([
                "hypha-k8s-worker-kube-apiserver",
                "ai-agents-api-kube-apiserver",
            ]);
            for (const object of objects) await validateAgainstSchema(object);
            expect(checkObjects(objects, parsePolicyConfig({ all: "mandatory" }))).to.deep.equal([]);
        });

        it("the runtime reaches the vLLM pods in namespace staging on 8000, and nothing else there", () => {
            const net = buildNetwork(objects, { cni: "cilium" });
            const runtime = podOf(objects, "agent-runtime");
            expect(egressAllowed(net, runtime, elsewhere("staging", "ministral-vllm")).allows("TCP", 8000)).to.equal(true);
            expect(egressAllowed(net, runtime, elsewhere("staging", "ministral-vllm")).allows("TCP", 9000)).to.equal(false);
            expect(egressAllowed(net, runtime, elsewhere("production", "ministral-vllm")).allows("TCP", 8000)).to.equal(false);
        });

        it("the Hypha worker and the ai-agents API reach the API server (its Cilium entity) and the worker its Hypha server; the App does not reach the API server", () => {
            const net = buildNetwork(objects, { cni: "cilium" });
            const apiServer: Endpoint = { apiServer: { ips: ["20.70.1.2"] } };
            expect(egressAllowed(net, podOf(objects, "hypha-k8s-worker"), apiServer).allows("TCP", 443)).to.equal(true);
            expect(egressAllowed(net, podOf(objects, "ai-agents-api"), apiServer).allows("TCP", 443)).to.equal(true);
            expect(egressAllowed(net, podOf(objects, "ai-agents-app"), apiServer).allows("TCP", 443)).to.equal(false);
            expect(egressAllowed(net, podOf(objects, "hypha-k8s-worker"), elsewhere("hypha", "hypha-server")).allows("TCP", 9520)).to.equal(true);
        });
    });

    describe("dev (kubeconfig: generic)", () => {
        let objects: KubernetesObject[];
        before(async () => {
            objects = await renderObjects("dev");
        });

        it("has no CiliumNetworkPolicy; the worker reaches the API server by its address", () => {
            expect(objects.map((o) => o.kind)).not.to.include("CiliumNetworkPolicy");
            const net = buildNetwork(objects, { cni: "generic" });
            expect(egressAllowed(net, podOf(objects, "hypha-k8s-worker"), { apiServer: { ips: ["172.18.0.2"] } }).allows("TCP", 6443)).to.equal(true);
        });

        it("the backend reaches the platform API and MCP Services its bare URLs name, in its own namespace", () => {
            const net = buildNetwork(objects, { cni: "generic" });
            const backend = podOf(objects, "agent-backend");
            const namespace = (backend as any).pod.namespace;
            expect(egressAllowed(net, backend, elsewhere(namespace, "platform-backend")).allows("TCP", 8080)).to.equal(true);
            expect(egressAllowed(net, backend, elsewhere("other", "platform-backend")).allows("TCP", 8080)).to.equal(false);
        });
    });
});
