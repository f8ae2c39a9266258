/**
 * Shared by the hypha-worker tests: the worker's block and the cluster facts parsed by their
 * own schemas (the stack schema wires the block in separately), and a recorder that checks
 * every rendered object against the Kubernetes schema and the policy pack.
 */
import { expect } from "chai";
import { HyphaWorker, HyphaWorkerArgs } from "../../components/hypha-worker";
import { networkPolicyClusterSchema } from "../../components/network-policy/schema";
import { HyphaWorkerConfig, hyphaWorkerBlock } from "../../components/hypha-worker/schema";
import { imagesBlock } from "../../components/images/schema";
import { checkObjects, parsePolicyConfig } from "../../policies/evaluate";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { Recorded, recordComponents } from "../helpers/record";

/** An API server address, needed once the worker's network policy is on. */
export const API_SERVER = "20.50.60.70/32";

export function workerConfig(block: Record<string, unknown> = {}): HyphaWorkerConfig {
    return hyphaWorkerBlock.parse({ enabled: true, ...block });
}

export function clusterFacts(overrides: Record<string, unknown> = {}) {
    return networkPolicyClusterSchema.parse({ apiServer: { cidrs: [API_SERVER] }, ...overrides });
}

export function workerArgs(block: Record<string, unknown> = {}, extra: Partial<HyphaWorkerArgs> = {}, cluster: Record<string, unknown> = {}): HyphaWorkerArgs {
    return {
        config: workerConfig(block),
        images: imagesBlock.parse({ pullSecrets: ["regcred"] }),
        namespace: "agents",
        networkPolicy: clusterFacts(cluster),
        ...extra,
    };
}

const ALL_MANDATORY = parsePolicyConfig({ all: "mandatory" });

/** Records the component; every object must be schema-valid and pass every policy as mandatory. */
export async function renderWorker(args: HyphaWorkerArgs): Promise<Recorded> {
    const r = await recordComponents((provider) => new HyphaWorker("hypha", args, { providers: [provider] }));
    for (const object of r.objects) await validateAgainstSchema(object);
    expect(checkObjects(r.objects, ALL_MANDATORY)).to.deep.equal([]);
    return r;
}

/** Error messages of a block that must not parse, as `path: message`. */
export function blockProblems(block: Record<string, unknown>): string[] {
    const result = hyphaWorkerBlock.safeParse({ enabled: true, ...block });
    if (result.success) return [];
    return result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}
