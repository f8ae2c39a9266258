/**
 * buildNetwork: workloads, namespaces and policies of a set of manifests, indexed once so
 * that questions about many pairs do not re-match selectors: which workloads each policy
 * selects, which policies isolate each workload per direction, which workloads each peer
 * matches (shared between peers with the same selectors).
 */
import { isPlainObject, objectAt, stringAt } from "../../policies/rules/values";
import type { KubernetesObject } from "../render/manifests";
import { compileCiliumPolicy, isCiliumPolicy } from "./cilium";
import { peerMatches, podPeerKey, type Cni, type NetworkOptions, type Peer, type Policy, type Target, type Workload } from "./model";
import { compileNetworkPolicy, isNetworkPolicy } from "./netpol";
import { PolicyError, type Labels } from "./selectors";
import { collectNamespaces, collectWorkloads, namespaceNameLabel, namespaceOf, workloadKey } from "./workloads";

/** A policy the API server would reject; it is left out of the analysis. */
export interface NetworkProblem {
    readonly kind: string;
    readonly namespace?: string;
    readonly name: string;
    readonly message: string;
    /** The manifest object, so a caller that read files can name the file. */
    readonly object: unknown;
}

export type PodTarget = Extract<Target, { type: "pod" }>;

export class Network {
    readonly cni: Cni;
    readonly workloads: Workload[];
    readonly policies: readonly Policy[];
    readonly problems: readonly NetworkProblem[];
    /** What the evaluator read but does not model (Cilium deny rules, toFQDNs, ...). */
    readonly notes: readonly string[];
    /** Per workload (same index): the pod it stands for, ready for matching. */
    readonly targets: readonly PodTarget[];
    /** Per workload: indices of the policies that make it default-deny for ingress / egress. */
    readonly ingressPolicies: readonly (readonly number[])[];
    readonly egressPolicies: readonly (readonly number[])[];
    readonly #namespaces: ReadonlyMap<string, Labels>;
    readonly #byKey = new Map<string, number>();
    readonly #byNamespace = new Map<string, number[]>();
    readonly #matchedByKey = new Map<string, readonly number[]>();
    readonly #matchedByPeer = new WeakMap<Peer, readonly number[]>();
    #labelIndex: Map<string, number[]> | undefined;

    constructor(cni: Cni, workloads: Workload[], namespaces: ReadonlyMap<string, Labels>, policies: Policy[], problems: NetworkProblem[], notes: string[]) {
        this.cni = cni;
        this.workloads = workloads;
        this.policies = policies;
        this.problems = problems;
        this.notes = notes;
        this.#namespaces = namespaces;
        this.targets = workloads.map((workload) => ({
            type: "pod" as const,
            namespace: workload.namespace,
            labels: workload.podLabels,
            namespaceLabels: this.namespaceLabels(workload.namespace),
            ports: workload.ports,
        }));
        workloads.forEach((workload, index) => {
            this.#byKey.set(workloadKey(workload), index);
            const inNamespace = this.#byNamespace.get(workload.namespace);
            if (inNamespace === undefined) this.#byNamespace.set(workload.namespace, [index]);
            else inNamespace.push(index);
        });
        const ingress: number[][] = workloads.map(() => []);
        const egress: number[][] = workloads.map(() => []);
        policies.forEach((policy, policyIndex) => {
            if (policy.ingress === undefined && policy.egress === undefined) return;
            for (const index of this.matchedWorkloads(policy.subject)) {
                if (policy.ingress !== undefined) ingress[index]!.push(policyIndex);
                if (policy.egress !== undefined) egress[index]!.push(policyIndex);
            }
        });
        this.ingressPolicies = ingress;
        this.egressPolicies = egress;
    }

    /** A namespace's labels; one the manifests do not describe has only its name label. */
    namespaceLabels(name: string): Labels {
        return this.#namespaces.get(name) ?? { [namespaceNameLabel]: name };
    }

    /** The index of a workload of this network (by namespace, name and kind). */
    indexOf(workload: Pick<Workload, "namespace" | "name" | "kind">): number | undefined {
        return this.#byKey.get(workloadKey(workload));
    }

    /** Workloads carrying label key=value, built on first use. */
    #withLabel(key: string, value: string): readonly number[] {
        if (this.#labelIndex === undefined) {
            const index = new Map<string, number[]>();
            this.targets.forEach((target, workload) => {
                for (const [k, v] of Object.entries(target.labels)) {
                    const entry = `${k}\u0000${v}`;
                    const list = index.get(entry);
                    if (list === undefined) index.set(entry, [workload]);
                    else list.push(workload);
                }
            });
            this.#labelIndex = index;
        }
        return this.#labelIndex.get(`${key}\u0000${value}`) ?? [];
    }

    /** The workloads that can match a peer, narrowed by a required label or by namespace. */
    #candidates(peer: Peer): Iterable<number> {
        if (peer.type === "pods") {
            const required = peer.podSelector.requiredLabel();
            if (required !== undefined) return this.#withLabel(required[0], required[1]);
            if (peer.namespaceSelector === undefined) return this.#byNamespace.get(peer.namespace ?? "") ?? [];
            const selector = peer.namespaceSelector;
            const out: number[] = [];
            for (const [namespace, workloads] of this.#byNamespace) if (selector.matches(this.namespaceLabels(namespace))) out.push(...workloads);
            return out;
        }
        if (peer.type === "ciliumEndpoints" && peer.namespace !== undefined) return this.#byNamespace.get(peer.namespace) ?? [];
        if (peer.type === "ipBlock") return []; // addresses, never pods
        return this.targets.keys();
    }

    /** Indices of the workloads a peer matches, computed once per distinct selector. */
    matchedWorkloads(peer: Peer): readonly number[] {
        const cached = this.#matchedByPeer.get(peer);
        if (cached !== undefined) return cached;
        const key = podPeerKey(peer);
        let matched = key === undefined ? undefined : this.#matchedByKey.get(key);
        if (matched === undefined) {
            const found: number[] = [];
            for (const index of this.#candidates(peer)) {
                if (peerMatches(peer, this.targets[index]!)) found.push(index);
            }
            // Ascending, whatever order the candidates came in.
            matched = found.sort((a, b) => a - b);
            if (key !== undefined) this.#matchedByKey.set(key, matched);
        }
        this.#matchedByPeer.set(peer, matched);
        return matched;
    }
}

function problemFrom(object: Record<string, unknown>, error: unknown): NetworkProblem {
    const metadata = objectAt(object["metadata"]);
    const namespace = stringAt(metadata?.["namespace"]) !== undefined || object["kind"] !== "CiliumClusterwideNetworkPolicy" ? namespaceOf(object) : undefined;
    return {
        kind: String(object["kind"]),
        ...(namespace === undefined ? {} : { namespace }),
        name: stringAt(metadata?.["name"]) ?? "",
        message: error instanceof Error ? error.message : String(error),
        object,
    };
}

/**
 * Reads workloads, namespaces and policies. NetworkPolicy always applies; Cilium policies
 * only with `cni: "cilium"` (on another CNI nothing enforces them). A policy the API server
 * would reject is reported in `problems` and left out.
 */
export function buildNetwork(objects: readonly KubernetesObject[] | readonly unknown[], options: NetworkOptions = {}): Network {
    const cni = options.cni ?? "generic";
    const policies: Policy[] = [];
    const problems: NetworkProblem[] = [];
    const notes: string[] = [];
    let ignoredCilium = 0;
    for (const object of objects) {
        if (!isPlainObject(object)) continue;
        try {
            if (isNetworkPolicy(object)) {
                policies.push(compileNetworkPolicy(object));
            } else if (isCiliumPolicy(object)) {
                if (cni !== "cilium") {
                    ignoredCilium++;
                    continue;
                }
                const policyNotes: string[] = [];
                policies.push(...compileCiliumPolicy(object, policyNotes));
                const name = `${String(object["kind"])} ${namespaceOf(object)}/${stringAt(objectAt(object["metadata"])?.["name"]) ?? ""}`;
                for (const note of policyNotes) notes.push(`${name}: ${note}`);
            }
        } catch (error) {
            if (!(error instanceof PolicyError)) throw error;
            problems.push(problemFrom(object, error));
        }
    }
    if (ignoredCilium > 0) notes.push(`${ignoredCilium} Cilium policies ignored: they apply only with the cilium CNI`);
    return new Network(cni, collectWorkloads(objects), collectNamespaces(objects, options.namespaces), policies, problems, notes);
}
