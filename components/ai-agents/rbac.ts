/**
 * Least-privilege, namespaced RBAC of the platform: one ServiceAccount per process, and a Role
 * (bound to it) with only what the process does:
 * - API (Express + operator): its CRDs, executor Jobs, the Secrets it writes, and, when it
 *   provisions webhook receivers, their Deployments, Services and Ingresses;
 * - processor (operator only): reads its CRDs, updates InferenceRequests and statuses, runs Jobs;
 * - executor Jobs: credential write-back to the listed Secrets only;
 * - each static webhook receiver: its own WebhookSource, and InferenceRequests it creates;
 * - App and cleanup: no API access at all (and no token mounted).
 * No ClusterRole: everything lives in the platform's namespace.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppIdentity, objectLabels } from "../pod";
import { CRD_DEFINITIONS, CRD_GROUP } from "./crds";
import { ResolvedAiAgents, webhookIdentity, webhookName } from "./resolve";

export type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

const READ = ["get", "list", "watch"];
const MANAGE = [...READ, "create", "update", "patch", "delete"];
const PLURALS = CRD_DEFINITIONS.map((d) => d.plural);
const statusOf = (plurals: string[]) => plurals.map((p) => `${p}/status`);

export function buildApiRules(resolved: ResolvedAiAgents): PolicyRule[] {
    return [
        { apiGroups: [CRD_GROUP], resources: PLURALS, verbs: MANAGE },
        { apiGroups: [CRD_GROUP], resources: statusOf(PLURALS), verbs: ["get", "update", "patch"] },
        { apiGroups: ["batch"], resources: ["jobs"], verbs: [...READ, "create", "delete"] },
        // No list/watch: the API reads the Secrets it is pointed at (apiKeyRef, credentialsRef), it never enumerates them.
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "create", "update", "patch", "delete"] },
        ...(resolved.config.webhooks.provisioning === "api"
            ? [
                  { apiGroups: ["apps"], resources: ["deployments"], verbs: MANAGE },
                  { apiGroups: [""], resources: ["services"], verbs: MANAGE },
                  { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: MANAGE },
              ]
            : []),
    ];
}

export function buildProcessorRules(): PolicyRule[] {
    return [
        { apiGroups: [CRD_GROUP], resources: PLURALS, verbs: READ },
        { apiGroups: [CRD_GROUP], resources: ["inferencerequests"], verbs: ["update", "patch"] },
        { apiGroups: [CRD_GROUP], resources: statusOf(PLURALS), verbs: ["get", "update", "patch"] },
        { apiGroups: ["batch"], resources: ["jobs"], verbs: [...READ, "create", "delete"] },
    ];
}

/** Credential write-back, to the named Secrets only; none named means no rule at all. */
export function buildExecutorRules(resolved: ResolvedAiAgents): PolicyRule[] {
    const names = resolved.config.executor.credentialSecrets;
    return names.length ? [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "update", "patch"], resourceNames: names }] : [];
}

export function buildWebhookRules(source: string): PolicyRule[] {
    return [
        { apiGroups: [CRD_GROUP], resources: ["webhooksources"], verbs: READ, resourceNames: [source] },
        { apiGroups: [CRD_GROUP], resources: ["inferencerequests"], verbs: ["create"] },
    ];
}

/** One identity's ServiceAccount, Role and RoleBinding; the Role only when it has rules. */
export interface RbacSubject {
    role: string;
    serviceAccountName: string;
    identity: AppIdentity;
    rules: PolicyRule[];
    /** The ServiceAccount's own default for pods that do not say (ours always say). */
    automountServiceAccountToken: boolean;
}

export function rbacSubjects(resolved: ResolvedAiAgents): RbacSubject[] {
    const { names, identities, config } = resolved;
    const subject = (role: string, identity: AppIdentity, rules: PolicyRule[], serviceAccountName = identity.instance, automount = false): RbacSubject => ({
        role,
        serviceAccountName,
        identity,
        rules,
        automountServiceAccountToken: automount,
    });
    return [
        subject("api", identities.api, buildApiRules(resolved)),
        subject("app", identities.app, []),
        ...(config.processor.enabled ? [subject("processor", identities.processor, buildProcessorRules())] : []),
        // Executor Job pods are built by the API; the account mounts its token for the write-back.
        subject("executor", identities.executor, buildExecutorRules(resolved), names.executorServiceAccount, true),
        ...(config.cronJobs.cleanup.enabled ? [subject("cleanup", identities.cleanup, [])] : []),
        ...resolved.webhookSources.map((source) =>
            subject(`webhook-${source}`, webhookIdentity(resolved, source), buildWebhookRules(source), webhookName(resolved, source)),
        ),
    ];
}

export interface AiAgentsRbacArgs {
    resolved: ResolvedAiAgents;
}

export class AiAgentsRbac extends pulumi.ComponentResource {
    /** Every object, by role (`api`, `processor`, `webhook-<source>`, ...), for `dependsOn` of the pods that run as it. */
    readonly byRole: Record<string, pulumi.Resource[]>;

    constructor(name: string, args: AiAgentsRbacArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsRbac", name, {}, opts);
        const { resolved } = args;
        this.byRole = {};
        for (const s of rbacSubjects(resolved)) {
            const metadata = { name: s.serviceAccountName, namespace: resolved.namespace, labels: objectLabels(s.identity) };
            const account = new k8s.core.v1.ServiceAccount(
                `${name}-${s.role}-serviceaccount`,
                { metadata, automountServiceAccountToken: s.automountServiceAccountToken },
                { parent: this },
            );
            const created: pulumi.Resource[] = [account];
            if (s.rules.length > 0) {
                const role = new k8s.rbac.v1.Role(`${name}-${s.role}-role`, { metadata, rules: s.rules }, { parent: this });
                const binding = new k8s.rbac.v1.RoleBinding(
                    `${name}-${s.role}-rolebinding`,
                    {
                        metadata,
                        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: s.serviceAccountName },
                        subjects: [{ kind: "ServiceAccount", name: s.serviceAccountName, namespace: resolved.namespace }],
                    },
                    { parent: this, dependsOn: [role, account] },
                );
                created.push(role, binding);
            }
            this.byRole[s.role] = created;
        }
        this.registerOutputs({ serviceAccounts: rbacSubjects(resolved).map((s) => s.serviceAccountName) });
    }
}
