/** Small hand-written objects and facts for the readiness rules' pure tests. */
import type { KubernetesObject } from "../../../tools/render/manifests";
import type { Recording, RecordedResource } from "../../../tools/render/recorder";
import { emptyDeclarations, type ReadinessFacts } from "../../../tools/readiness/facts";

export function facts(overrides: Partial<ReadinessFacts> = {}): ReadinessFacts {
    return {
        clusterCreatedByStack: false,
        cni: "generic",
        disabledDefaultProviders: [],
        declared: emptyDeclarations(),
        nodePools: [],
        connectivity: {
            needs: [],
            dns: { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
            apiServer: { ips: [], ports: [443] },
            routableRanges: [],
        },
        ...overrides,
    };
}

export function object(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    rest: Record<string, unknown> = {},
    labels?: Record<string, string>,
): KubernetesObject {
    return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) }, ...rest };
}

export const namespace = (name: string) => object("v1", "Namespace", name, undefined);

export function deployment(name: string, ns: string, podSpec: Record<string, unknown>, labels: Record<string, string> = { app: name }): KubernetesObject {
    return object("apps/v1", "Deployment", name, ns, { spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } });
}

export function container(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, image: "example.com/app:1", ...extra };
}

export function resource(urn: string, type: string, extra: Partial<RecordedResource> = {}): RecordedResource {
    return {
        urn,
        type,
        name: urn.split("::").pop()!,
        custom: true,
        inputs: {},
        additionalSecretOutputs: [],
        protect: false,
        replaceOnChanges: [],
        dependsOn: [],
        remote: false,
        providers: {},
        ...extra,
    };
}

export function recording(resources: RecordedResource[], calls: Recording["calls"] = []): Recording {
    return { resources, calls, stackOutputs: {} };
}
