/**
 * The worst case of a first `pulumi up` of a stack, step by step along its critical path, from
 * the stack's own config: what the deploy job's timeout must cover (docs/ci.md, "How long a
 * deploy takes"). Minutes are upper bounds, not typical times; each says where it comes from.
 */
import type { StackConfig } from "../../components/config";

export interface TimelineStep {
    step: string;
    minutes: number;
    source: string;
}

/** pulumi-kubernetes waits this long for a Deployment (and a chart's workloads) by default. */
export const KUBERNETES_AWAIT_MINUTES = 10;

export function worstCaseFirstDeploy(config: StackConfig): TimelineStep[] {
    const steps: TimelineStep[] = [
        { step: "checkout, npm ci, type-check, offline render", minutes: 5, source: "CI runs of the same steps (ci.yml) take 2-3 minutes" },
        { step: "Pulumi Cloud login, plugins (cached by the lockfile)", minutes: 3, source: "plugin downloads on a cache miss" },
    ];
    if (config.cluster.target === "aks") {
        steps.push(
            { step: "resource group, identity, virtual network and subnets, subnet role assignment", minutes: 3, source: "each a single ARM call of seconds" },
            // MySQL (up to ~25 minutes with zone-redundant HA) and Key Vault run beside the cluster and the pool.
            {
                step: "ManagedCluster (system pool, Cilium, add-ons)",
                minutes: 20,
                source: "learn.microsoft.com/azure/aks/learn/quick-kubernetes-deploy-cli: a few minutes; bound for a slow region",
            },
            { step: "user node pool", minutes: 10, source: "node provisioning across three zones" },
            {
                step: "role assignments reach the cluster's authorization webhook",
                minutes: 5,
                source: "learn.microsoft.com/azure/aks/manage-azure-rbac: up to five minutes",
            },
        );
    }
    if (Object.values(config.addons).some((addon) => addon.enabled)) {
        steps.push({
            step: "add-on charts and their CRDs",
            minutes: KUBERNETES_AWAIT_MINUTES,
            source: "each chart's workloads awaited (pulumi-kubernetes default)",
        });
    }
    if (config.agentBackend.enabled && config.agentBackend.migrations.mode === "job") {
        steps.push({
            step: "agent-backend migration Job",
            minutes: Math.ceil(config.agentBackend.migrations.activeDeadlineSeconds / 60) + 5,
            source: "agentBackend.migrations.activeDeadlineSeconds plus 5 minutes (the Job's customTimeouts)",
        });
    }
    steps.push({ step: "Deployments become ready", minutes: KUBERNETES_AWAIT_MINUTES, source: "pulumi-kubernetes Deployment await" });
    return steps;
}

export const totalMinutes = (steps: TimelineStep[]) => steps.reduce((sum, step) => sum + step.minutes, 0);

/** The margin a job's timeout keeps above the worst case. */
export const TIMEOUT_MARGIN = 1.25;

/** GitHub-hosted runners stop a job after 6 hours whatever it says. */
export const GITHUB_JOB_LIMIT_MINUTES = 360;
