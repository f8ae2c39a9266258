/** Small hand-written manifests for the connectivity tests. */
import type { Workload } from "../../../tools/connectivity";

type Labels = Record<string, string>;
type Port = { name?: string; containerPort: number; protocol?: string };

export function deployment(namespace: string, name: string, labels: Labels, ports: Port[] = []): Record<string, unknown> {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "app", ports }] } } },
    };
}

export function namespace(name: string, labels: Labels = {}): Record<string, unknown> {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
}

export function networkPolicy(namespaceName: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
    return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: namespaceName }, spec };
}

export function ciliumPolicy(namespaceName: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
    return { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name, namespace: namespaceName }, spec };
}

/** A pod selected by nothing but the given labels, for `{ workload }` endpoints. */
export function workload(net: { workloads: Workload[] }, name: string): { workload: Workload } {
    const found = net.workloads.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(`no workload ${name} in ${net.workloads.map((w) => w.name).join(", ")}`);
    return { workload: found };
}

export const denyAll = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
