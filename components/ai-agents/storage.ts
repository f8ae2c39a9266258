/**
 * The platform's PersistentVolumeClaims:
 * - workspace: `/workspace` of the API, processor and CronJobs (jobs/, .accounts/, and uploads/
 *   when there is no uploads volume); ReadWriteMany, or ReadWriteOnce in single-replica setups;
 * - uploads (UPLOADS_PVC_NAME): mounted at UPLOADS_DIR, and by the API's executor Jobs at /uploads;
 * - models cache (optional): mounted by executor Jobs at /models for local inference providers.
 * Workloads refer to them by name, not through their outputs: with a WaitForFirstConsumer
 * StorageClass a claim binds only once a pod uses it, so a pod must not wait for the claim.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { objectLabels } from "../pod";
import { platformIdentity, ResolvedAiAgents } from "./resolve";

export interface ClaimSpec {
    /** Role in resource names, e.g. `workspace`. */
    role: string;
    claimName: string;
    size: string;
    accessMode: "ReadWriteMany" | "ReadWriteOnce";
    storageClassName?: string;
}

export function claimSpecs(resolved: ResolvedAiAgents): ClaimSpec[] {
    const { storage } = resolved.config;
    const { names } = resolved;
    const spec = (
        role: string,
        claimName: string,
        c: { size: string; accessMode: ClaimSpec["accessMode"]; storageClassName?: string | undefined },
    ): ClaimSpec => ({
        role,
        claimName,
        size: c.size,
        accessMode: c.accessMode,
        ...(c.storageClassName ? { storageClassName: c.storageClassName } : {}),
    });
    return [
        spec("workspace", names.workspaceClaim, storage.workspace),
        ...(names.uploadsClaim ? [spec("uploads", names.uploadsClaim, storage.uploads)] : []),
        ...(names.modelsCacheClaim ? [spec("models-cache", names.modelsCacheClaim, storage.modelsCache)] : []),
    ];
}

export function buildClaimSpec(claim: ClaimSpec): k8s.types.input.core.v1.PersistentVolumeClaimSpec {
    return {
        accessModes: [claim.accessMode],
        resources: { requests: { storage: claim.size } },
        ...(claim.storageClassName ? { storageClassName: claim.storageClassName } : {}),
    };
}

export interface AiAgentsStorageArgs {
    resolved: ResolvedAiAgents;
}

export class AiAgentsStorage extends pulumi.ComponentResource {
    /** Names of the claims created. */
    readonly claimNames: string[];

    constructor(name: string, args: AiAgentsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsStorage", name, {}, opts);
        const { resolved } = args;
        const claims = claimSpecs(resolved);
        for (const claim of claims) {
            new k8s.core.v1.PersistentVolumeClaim(
                `${name}-${claim.role}`,
                {
                    metadata: { name: claim.claimName, namespace: resolved.namespace, labels: objectLabels(platformIdentity(resolved, "storage")) },
                    spec: buildClaimSpec(claim),
                },
                // Data outlives the stack unless the stack says otherwise.
                { parent: this, retainOnDelete: resolved.config.storage.retainOnDelete },
            );
        }
        this.claimNames = claims.map((c) => c.claimName);
        this.registerOutputs({ claimNames: this.claimNames });
    }
}
