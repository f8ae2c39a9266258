/** Tier 1: the diff of two object sets and two plans, as pure functions. */
import { expect } from "chai";
import type { Plan, PlanEntry } from "../../../tools/render/output";
import { diffObjects, diffPlanResources, diffRenders, isEmptyDiff, isOtherResource } from "../../../tools/render-diff/diff";
import { describeRef, entryOf } from "../../../tools/render-diff/render-set";

const REDACTED = "[secret: redacted]";

function deployment(replicas: number, image = "app:1"): Record<string, unknown> {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "agents" },
        spec: { replicas, template: { spec: { containers: [{ name: "app", image }] } } },
    };
}

const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "agents" } };
const service = { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "agents" }, spec: { ports: [{ port: 80 }] } };

function secret(keys: string[]): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "api-1a2b3c4d", namespace: "agents" },
        data: Object.fromEntries(keys.map((k) => [k, REDACTED])),
    };
}

function planEntry(type: string, name: string, inputs: Record<string, unknown>, custom = true): PlanEntry {
    return { type, name, urn: `urn:pulumi:prod::agent-platform::${type}::${name}`, custom, inputs };
}

function plan(resources: PlanEntry[], outputs: Record<string, unknown> = {}): Plan {
    return { project: "agent-platform", stack: "prod", resources, outputs };
}

describe("render diff: Kubernetes objects", () => {
    it("finds added, changed and removed objects by kind, namespace and name, in that order", () => {
        const base = [entryOf(namespace), entryOf(deployment(2)), entryOf(service)];
        const head = [entryOf(namespace), entryOf(deployment(3)), entryOf(secret(["token"]))];
        const changes = diffObjects(base, head);
        expect(changes.map((c) => `${c.kind} ${describeRef(c.ref)}`)).to.deep.equal([
            "added Secret agents/api-1a2b3c4d",
            "changed Deployment agents/api",
            "removed Service agents/api",
        ]);
        expect(changes[1]!.fields).to.deep.equal([{ path: "/spec/replicas", kind: "changed", before: 2, after: 3 }]);
    });

    it("keys objects by namespace too: the same name in two namespaces are two objects", () => {
        const other = { ...service, metadata: { name: "api", namespace: "other" } };
        expect(diffObjects([entryOf(service)], [entryOf(other)]).map((c) => `${c.kind} ${describeRef(c.ref)}`)).to.deep.equal([
            "added Service other/api",
            "removed Service agents/api",
        ]);
    });

    it("shows a changed Secret's key names but never a value, since both sides are redacted", () => {
        const [change] = diffObjects([entryOf(secret(["a"]))], [entryOf(secret(["a", "b"]))]);
        expect(change!.fields).to.deep.equal([{ path: "/data/b", kind: "added", after: REDACTED }]);
        expect(diffObjects([entryOf(secret(["a"]))], [entryOf(secret(["a"]))])).to.deep.equal([]);
    });

    it("flags an object that now comes from another Pulumi resource, which Pulumi would replace", () => {
        const [change] = diffObjects([entryOf(service, "urn:a")], [entryOf(service, "urn:b")]);
        expect(change).to.deep.include({ kind: "changed", fields: [], urn: { before: "urn:a", after: "urn:b" } });
    });
});

describe("render diff: other resources and outputs from plan.json", () => {
    const cluster = (location: string) => planEntry("azure-native:containerservice:ManagedCluster", "cluster", { location, sku: { tier: "Standard" } });
    const k8sObject = planEntry("kubernetes:apps/v1:Deployment", "api", { apiVersion: "apps/v1", kind: "Deployment", spec: {} });
    const chart = planEntry("kubernetes:helm.sh/v4:Chart", "cert-manager", { chart: "cert-manager", version: "v1.17.2" }, false);
    const component = planEntry("agent-platform:aks:AksCluster", "aks", {}, false);

    it("covers Azure resources, providers and Helm charts, not Kubernetes objects, components or the stack", () => {
        expect(isOtherResource(cluster("westeurope"))).to.equal(true);
        expect(isOtherResource(chart)).to.equal(true);
        expect(isOtherResource(planEntry("pulumi:providers:kubernetes", "k8s", { kubeconfig: REDACTED }))).to.equal(true);
        expect(isOtherResource(k8sObject)).to.equal(false);
        expect(isOtherResource(component)).to.equal(false);
        expect(isOtherResource(planEntry("pulumi:pulumi:Stack", "agent-platform-prod", {}, false))).to.equal(false);
    });

    it("reports changed inputs under /inputs, keyed by URN", () => {
        const changes = diffPlanResources([cluster("westeurope"), k8sObject], [cluster("northeurope"), k8sObject]);
        expect(changes).to.have.length(1);
        expect(changes[0]).to.deep.include({ kind: "changed", type: "azure-native:containerservice:ManagedCluster", name: "cluster" });
        expect(changes[0]!.fields).to.deep.equal([{ path: "/inputs/location", kind: "changed", before: "westeurope", after: "northeurope" }]);
    });

    it("reports a chart version bump and an added chart", () => {
        const bumped = { ...chart, inputs: { ...chart.inputs, version: "v1.18.0" } };
        const added = planEntry("kubernetes:helm.sh/v4:Chart", "external-secrets", { chart: "external-secrets" }, false);
        const changes = diffPlanResources([chart], [bumped, added]);
        expect(changes.map((c) => `${c.kind} ${c.name}`)).to.deep.equal(["added external-secrets", "changed cert-manager"]);
        expect(changes[1]!.fields[0]).to.deep.include({ path: "/inputs/version", before: "v1.17.2", after: "v1.18.0" });
    });

    it("diffs the stack outputs", () => {
        const diff = diffRenders({ objects: [], plan: plan([], { url: "http://a" }) }, { objects: [], plan: plan([], { url: "http://b", extra: 1 }) });
        expect(diff.outputs.map((o) => o.path)).to.deep.equal(["/extra", "/url"]);
    });

    it("is empty for two identical renders", () => {
        const render = { objects: [entryOf(deployment(2))], plan: plan([cluster("westeurope")], { a: 1 }) };
        expect(isEmptyDiff(diffRenders(render, structuredClone(render)))).to.equal(true);
    });
});
