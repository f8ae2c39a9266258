/**
 * Guard rails of the namespace the worker launches Jobs in: Pod Security `restricted` on a
 * namespace the component creates, a ResourceQuota so jobs cannot take the cluster, and a
 * LimitRange that gives the worker's plain `k8s-job` containers (which set no resources)
 * requests and limits, without which the quota would reject them.
 */
import type * as k8s from "@pulumi/kubernetes";
import { podSecurityLabels } from "../namespace";
import type { HyphaWorkerConfig } from "./schema";

type JobsConfig = HyphaWorkerConfig["jobs"];

export function buildJobsNamespaceLabels(objectLabels: Record<string, string>): Record<string, string> {
    // The jobs the worker creates already run non-root with all capabilities dropped, so `restricted` admits them.
    return { ...objectLabels, ...podSecurityLabels("restricted") };
}

export function buildJobsResourceQuotaSpec(jobs: JobsConfig): k8s.types.input.core.v1.ResourceQuotaSpec {
    const q = jobs.resourceQuota;
    return {
        hard: {
            "requests.cpu": q.requestsCpu,
            "requests.memory": q.requestsMemory,
            "limits.cpu": q.limitsCpu,
            "limits.memory": q.limitsMemory,
            pods: String(q.pods),
            "count/jobs.batch": String(q.jobs),
        },
    };
}

export function buildJobsLimitRangeSpec(jobs: JobsConfig): k8s.types.input.core.v1.LimitRangeSpec {
    const l = jobs.limitRange;
    return {
        limits: [
            {
                type: "Container",
                defaultRequest: { cpu: l.defaultRequest.cpu, memory: l.defaultRequest.memory },
                default: { cpu: l.default.cpu, memory: l.default.memory },
                max: { cpu: l.max.cpu, memory: l.max.memory },
            },
        ],
    };
}
