/**
 * Every `agent-platform:*` key, each an object block whose schema lives with its component
 * (`components/<name>/schema.ts`), assembled into one object. The cross-block rules are laid
 * over it in schema.ts; the types here are what the rules and the program read.
 *
 * Every default lives in the blocks' schemas and only there: `Pulumi.yaml` declares each key
 * with `default: {}` so the CLI never demands a value, and docs/config-reference.md is generated
 * from them (`npm run docs:config`).
 */
import { z } from "zod";
import { addonsBlock } from "../addons/schema";
import { agentBackendBlock } from "../agent-backend/schema";
import { agentRuntimeBlock } from "../agent-runtime/schema";
import { aiAgentsBlock } from "../ai-agents/schema";
import { azureBlock } from "../azure/schema";
import { clusterBlock } from "../cluster/schema";
import { hyphaWorkerBlock } from "../hypha-worker/schema";
import { imagesBlock } from "../images/schema";
import { namespaceBlock } from "../namespace/schema";
import { networkPolicyClusterSchema } from "../network-policy/schema";
import { platformBlock } from "../platform/schema";
import { preinstalledBlock } from "../preinstalled/schema";

/** Every `agent-platform:*` key. Each is an object block; see Pulumi.yaml for why. */
export const stackBlocks = z.strictObject({
    namespace: namespaceBlock.prefault({}),
    cluster: clusterBlock.prefault({}),
    azure: azureBlock.prefault({}),
    addons: addonsBlock.prefault({}),
    platform: platformBlock.prefault({}),
    images: imagesBlock.prefault({}),
    networkPolicy: networkPolicyClusterSchema,
    agentRuntime: agentRuntimeBlock.prefault({}),
    agentBackend: agentBackendBlock.prefault({}),
    hyphaWorker: hyphaWorkerBlock.prefault({}),
    aiAgents: aiAgentsBlock.prefault({}),
    preinstalled: preinstalledBlock.prefault({}),
});

export type StackConfig = z.output<typeof stackBlocks>;

/**
 * What a cross-block rule sees: zod runs the rules even when a block failed to parse, so a block
 * may be missing or partial. Rules look only at what parsed.
 */
export type ParsedBlocks = Partial<StackConfig>;
