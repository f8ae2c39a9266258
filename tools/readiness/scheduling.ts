/**
 * Rule `scheduling`: a pod whose requests exceed what one node of any pool it may run on can
 * allocate stays Pending forever (the scheduler's NodeResourcesFit filter), and its
 * Deployment's await fails. Only for clusters whose node sizes the stack knows (AKS). A pool
 * with taints only takes pods that tolerate them (the AKS system pool: CriticalAddonsOnly).
 */
import { extractWorkload } from "../../policies/rules/pod-spec";
import { arrayAt, objectAt, stringAt } from "../../policies/rules/values";
import { parseQuantity } from "../../components/hypha-worker/quantity";
import type { KubernetesObject } from "../render/manifests";
import type { ReadinessFacts } from "./facts";
import { objectRef, type Finding } from "./findings";
import { aksAllocatable } from "./vm-sizes";

interface Requests {
    cpu: number;
    memory: number;
}

function quantity(value: unknown): number {
    try {
        return typeof value === "string" ? parseQuantity(value) : typeof value === "number" ? value : 0;
    } catch {
        return 0; // a malformed quantity is the schema check's to report
    }
}

function containerRequests(container: Record<string, unknown>): Requests {
    const resources = objectAt(container["resources"]);
    // Without requests, the API server defaults them to the limits.
    const requests = objectAt(resources?.["requests"]) ?? objectAt(resources?.["limits"]) ?? {};
    return { cpu: quantity(requests["cpu"]), memory: quantity(requests["memory"]) };
}

/** The pod's effective request: app containers summed, against the largest init container. */
export function podRequests(object: KubernetesObject): Requests | undefined {
    const workload = extractWorkload(object);
    if (!workload) return undefined;
    const sum = { cpu: 0, memory: 0 };
    const init = { cpu: 0, memory: 0 };
    for (const container of workload.containers) {
        const r = containerRequests(container.spec);
        const sidecar = container.position === "initContainers" && container.spec["restartPolicy"] === "Always";
        if (container.position === "containers" || sidecar) {
            sum.cpu += r.cpu;
            sum.memory += r.memory;
        } else if (container.position === "initContainers") {
            init.cpu = Math.max(init.cpu, r.cpu);
            init.memory = Math.max(init.memory, r.memory);
        }
    }
    return { cpu: Math.max(sum.cpu, init.cpu), memory: Math.max(sum.memory, init.memory) };
}

function tolerates(podSpec: Record<string, unknown>, taint: string): boolean {
    const [keyValue, effect] = taint.split(":");
    const [key, value] = keyValue!.split("=");
    return arrayAt(podSpec["tolerations"]).some((entry) => {
        const t = objectAt(entry) ?? {};
        if (t["effect"] !== undefined && t["effect"] !== effect) return false;
        if (t["operator"] === "Exists") return t["key"] === undefined || t["key"] === key;
        return t["key"] === key && (stringAt(t["value"]) ?? "") === (value ?? "");
    });
}

const GIB = 2 ** 30;

export function schedulingFindings(objects: readonly KubernetesObject[], facts: ReadinessFacts): Finding[] {
    if (facts.nodePools.length === 0) return [];
    const findings: Finding[] = [];
    const sizes = facts.nodePools.map((pool) => ({ pool, allocatable: aksAllocatable(pool.vmSize) }));
    for (const { pool } of sizes.filter((s) => !s.allocatable)) {
        findings.push({
            severity: "warning",
            rule: "scheduling",
            object: `pool/${pool.name}`,
            message: `VM size ${pool.vmSize} is not in the readiness pass's table (tools/readiness/vm-sizes.ts); pods are not checked against it.`,
        });
    }
    for (const object of objects) {
        const workload = extractWorkload(object);
        const requests = podRequests(object);
        if (!workload || !requests) continue;
        const tolerated = sizes.filter((s) => s.pool.taints.every((taint) => tolerates(workload.podSpec, taint)));
        // A pool of unknown size might fit: say nothing rather than guess.
        if (tolerated.length === 0 || tolerated.some((s) => !s.allocatable)) continue;
        const eligible = tolerated.map((s) => ({ pool: s.pool, allocatable: s.allocatable! }));
        if (eligible.some((s) => requests.cpu <= s.allocatable.cpu && requests.memory <= s.allocatable.memory)) continue;
        const best = eligible
            .map((s) => `${s.pool.name} (${s.pool.vmSize}): ${s.allocatable.cpu.toFixed(2)} CPU, ${(s.allocatable.memory / GIB).toFixed(1)} GiB allocatable`)
            .join("; ");
        findings.push({
            severity: "error",
            rule: "scheduling",
            object: objectRef(object),
            message: `its pods request ${requests.cpu.toFixed(2)} CPU and ${(requests.memory / GIB).toFixed(1)} GiB, more than one node can allocate (${best}); they stay Pending. Lower the requests or choose a larger vmSize.`,
        });
    }
    return findings;
}
