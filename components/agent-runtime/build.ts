/** Pure builders of the runtime's Deployment, Service, HPA and PDB specs. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { pullSecretsFor } from "../images";
import { AppIdentity, TMP_DIR, buildPodSpec, buildPodTemplate, httpGetProbe, podLabels, selectorLabels } from "../pod";
import { SecretRefs, secretEnv } from "../secrets/resolve";
import { AgentRuntimeArgs, ResolvedAgentRuntime, RUNTIME_SECRET_ENV, RUNTIME_UID } from "./resolve";
import type { AgentRuntimeConfig, RuntimeSecretId } from "./schema";

/**
 * Preferred (never required) anti-affinity by node, and a zone spread that schedules anyway:
 * together they spread pods without ever leaving an autoscaler's new pods Pending.
 */
export function buildSpreading(config: AgentRuntimeConfig, identity: AppIdentity) {
    const selector = { matchLabels: selectorLabels(identity) };
    return {
        affinity: config.scheduling.preferredAntiAffinity
            ? {
                  podAntiAffinity: {
                      preferredDuringSchedulingIgnoredDuringExecution: [
                          { weight: 100, podAffinityTerm: { labelSelector: selector, topologyKey: "kubernetes.io/hostname" } },
                      ],
                  },
              }
            : undefined,
        topologySpreadConstraints: config.scheduling.zoneSpread
            ? [
                  {
                      maxSkew: 1,
                      topologyKey: "topology.kubernetes.io/zone",
                      whenUnsatisfiable: "ScheduleAnyway",
                      labelSelector: selector,
                      // Count only the pods of the current ReplicaSet, so a rollout is not skewed by old pods.
                      matchLabelKeys: ["pod-template-hash"],
                  },
              ]
            : undefined,
    };
}

export function buildAgentRuntimeDeploymentSpec(
    args: AgentRuntimeArgs,
    resolved: ResolvedAgentRuntime,
    secrets: SecretRefs<RuntimeSecretId> = {},
): k8s.types.input.apps.v1.DeploymentSpec {
    const { config } = args;
    const labels = { ...podLabels(resolved.identity), "app.kubernetes.io/runtime": config.runtime };
    const { drainSeconds, gracePeriodSeconds } = config.shutdown;
    const spec = buildPodSpec({
        runAs: { user: RUNTIME_UID, group: RUNTIME_UID, fsGroup: RUNTIME_UID },
        serviceAccountName: resolved.objectName,
        automountServiceAccountToken: false, // the runtime never calls the Kubernetes API
        imagePullSecrets: pullSecretsFor(args.images, [resolved.image]),
        containers: [
            {
                name: "runtime",
                image: resolved.image,
                imagePullPolicy: config.image.pullPolicy,
                ports: [{ name: "http", containerPort: resolved.containerPort, protocol: "TCP" }],
                env: [...resolved.env, ...secretEnv(secrets, RUNTIME_SECRET_ENV)],
                // The chart's timings; the startup probe lets slow starts pass without loosening liveness.
                startup: httpGetProbe("/health", "http", { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 30 }),
                readiness: httpGetProbe("/health", "http", { initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
                liveness: httpGetProbe("/health", "http", { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
                resources: config.resources,
                writableDirs: [TMP_DIR],
                // Keep serving open streams after leaving the endpoints; `sleep` needs no binary in the image.
                ...(drainSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: drainSeconds } } } } : {}),
            },
        ],
        terminationGracePeriodSeconds: drainSeconds + gracePeriodSeconds,
        ...buildSpreading(config, resolved.identity),
        nodeSelector: Object.keys(config.scheduling.nodeSelector).length ? config.scheduling.nodeSelector : undefined,
        tolerations: config.scheduling.tolerations,
    });
    return {
        // An HPA owns the replica count; setting it here would fight the autoscaler on every deploy.
        ...(config.autoscaling.enabled ? {} : { replicas: config.replicas }),
        selector: { matchLabels: selectorLabels(resolved.identity) },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: buildPodTemplate({
            labels,
            annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(resolved.containerPort), "prometheus.io/path": "/metrics" },
            spec,
        }),
    };
}

export function buildAgentRuntimeHpaSpec(
    config: AgentRuntimeConfig,
    deploymentName: pulumi.Input<string>,
): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const { autoscaling } = config;
    const utilization = (name: string, averageUtilization: number) => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [utilization("cpu", autoscaling.targetCpuUtilization), utilization("memory", autoscaling.targetMemoryUtilization)],
        // The chart's behaviour: double (or +4 pods) every 30 s up; at most half every minute down.
        behavior: {
            scaleUp: {
                stabilizationWindowSeconds: 0,
                selectPolicy: "Max",
                policies: [
                    { type: "Percent", value: 100, periodSeconds: 30 },
                    { type: "Pods", value: 4, periodSeconds: 30 },
                ],
            },
            scaleDown: { stabilizationWindowSeconds: autoscaling.scaleDownStabilizationSeconds, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
        },
    };
}

export function buildAgentRuntimePdbSpec(config: AgentRuntimeConfig, identity: AppIdentity): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    const { minAvailable, maxUnavailable } = config.podDisruptionBudget;
    return {
        selector: { matchLabels: selectorLabels(identity) },
        ...(minAvailable !== undefined ? { minAvailable } : { maxUnavailable: maxUnavailable ?? 1 }),
        // Evict pods that never became ready, so a broken rollout cannot block a drain.
        unhealthyPodEvictionPolicy: "AlwaysAllow",
    };
}

export function buildAgentRuntimeServiceSpec(resolved: ResolvedAgentRuntime): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: selectorLabels(resolved.identity),
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    };
}
