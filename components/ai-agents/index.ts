/**
 * AiAgentsPlatform: the whole "ai-agents" deployment of seed 002 (three Helm charts, the CRDs
 * and instructions of its kustomize tree) as one component, composed of one component per part:
 *
 *   crds.ts              six labrats.work/v1alpha1 CRDs (cluster-scoped; can be left to an admin)
 *   rbac.ts              ServiceAccounts, Roles and RoleBindings, least privilege, namespaced
 *   storage.ts           workspace, uploads and models-cache PVCs
 *   api.ts               API (Express + operator): ConfigMap, Secrets, Deployment, Service, monitoring
 *   app.ts               App (Next.js): Deployment, Service
 *   processor.ts         optional operator-only processor
 *   webhooks.ts          one receiver per WebhookSource (static provisioning)
 *   ingress.ts           public and protected (forward-auth) Ingresses
 *   network-policies.ts  one default-deny policy per process
 *   cronjobs.ts          cleanup and token-refresh
 *   instructions.ts      the 14 shipped AiInstructions (data/instructions/*.yaml)
 *
 * Shared derivations live in resolve.ts. Objects that use the CRDs depend on them.
 */
import * as pulumi from "@pulumi/pulumi";
import { AiAgentsApi } from "./api";
import { AiAgentsApp } from "./app";
import { AiAgentsCronJobs } from "./cronjobs";
import { AiAgentsCrds } from "./crds";
import { AiAgentsIngress } from "./ingress";
import { AiAgentsInstructions } from "./instructions";
import { AiAgentsNetworkPolicies } from "./network-policies";
import { AiAgentsProcessor } from "./processor";
import { AiAgentsRbac } from "./rbac";
import { AiAgentsPlatformArgs, platformIdentity, resolveAiAgentsArgs } from "./resolve";
import { AiAgentsStorage } from "./storage";
import { AiAgentsWebhook } from "./webhooks";

export { aiAgentsSecretsInstance, resolveAiAgentsArgs } from "./resolve";
export type { AiAgentsPlatformArgs, ResolvedAiAgents } from "./resolve";

export class AiAgentsPlatform extends pulumi.ComponentResource {
    /** In-cluster URL of the API. */
    readonly apiUrl: pulumi.Output<string>;
    /** The platform's URL through the ingress, when it is enabled. */
    readonly externalUrl?: string;

    constructor(name: string, args: AiAgentsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsPlatform", name, {}, opts);
        const resolved = resolveAiAgentsArgs(args);
        const { config } = resolved;
        const child = { parent: this };

        const crds = config.crds.enabled
            ? new AiAgentsCrds(`${name}-crds`, { identity: platformIdentity(resolved, "crds"), retainOnDelete: config.crds.retainOnDelete }, child).ready
            : [];
        const rbac = new AiAgentsRbac(`${name}-rbac`, { resolved }, child).byRole;
        new AiAgentsStorage(`${name}-storage`, { resolved }, child);

        const api = new AiAgentsApi(
            `${name}-api`,
            { resolved, rbac: rbac["api"], crds, crdsReady: args.crdsReady, keyVault: args.keyVault, keyVaultReady: args.keyVaultReady },
            child,
        );
        new AiAgentsApp(`${name}-app`, { resolved, rbac: rbac["app"] }, child);
        if (config.processor.enabled) new AiAgentsProcessor(`${name}-processor`, { resolved, rbac: rbac["processor"], crds }, child);
        for (const source of resolved.webhookSources) {
            new AiAgentsWebhook(
                `${name}-webhook-${source}`,
                { resolved, source, platformDomain: args.platformDomain, rbac: rbac[`webhook-${source}`], crds, crdsReady: args.crdsReady },
                child,
            );
        }
        const externalUrl = config.ingress.enabled
            ? new AiAgentsIngress(`${name}-ingress`, { resolved, platformDomain: args.platformDomain, crdsReady: args.crdsReady }, child).url
            : undefined;
        if (args.networkPolicy.enabled) new AiAgentsNetworkPolicies(`${name}-network-policies`, { resolved, cluster: args.networkPolicy }, child);
        new AiAgentsCronJobs(
            `${name}-cronjobs`,
            { resolved, apiConfigMapName: api.configMapName, rbac: [...(rbac["cleanup"] ?? []), ...(rbac["executor"] ?? [])] },
            child,
        );
        if (config.instructions.enabled) {
            new AiAgentsInstructions(
                `${name}-instructions`,
                { namespace: resolved.namespace, identity: platformIdentity(resolved, "instructions"), exclude: config.instructions.exclude, crds },
                child,
            );
        }

        this.apiUrl = api.url;
        this.externalUrl = externalUrl;
        // Only what exists: an undefined output is noise in the engine's log.
        this.registerOutputs({ apiUrl: this.apiUrl, ...(this.externalUrl ? { externalUrl: this.externalUrl } : {}) });
    }
}
