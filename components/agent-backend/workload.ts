/**
 * The backend's pods: the Deployment's pod (your init containers, the MySQL wait, the migration
 * in `initContainer` mode, then the backend) and, in `job` mode, the migration Job's pod. Both
 * are built by components/pod/, so every container is hardened the same way.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { AppIdentity, ContainerArgs, EnvVar, PodSpec, TMP_DIR, buildPodSpec, buildPodTemplate, httpGetProbe, podLabels, selectorLabels } from "../pod";
import { AgentBackendConfig, BackendSecretId } from "./schema";
import { SecretRefs } from "../secrets";
import { BACKEND_SECRET_ENV, DATABASE_SECRET_ENV, requiredSecretEnv } from "./settings";
import { buildWaitForMysqlContainer } from "./wait-for-mysql";

export const BACKEND_CONTAINER = "agent-backend";
export const MIGRATION_CONTAINER = "db-migration";

/** What the builders need besides the block. */
export interface WorkloadInputs {
    config: AgentBackendConfig;
    identity: AppIdentity;
    /** The backend image (also runs the migration). */
    image: string;
    /** The MySQL client image of the wait. */
    waitImage: string;
    /** The settings ConfigMap (auto-named, so a Output). */
    configMapName: pulumi.Input<string>;
    /** Where each secret value is read. */
    secretRefs: SecretRefs<BackendSecretId>;
    /** The platform's pull Secrets plus the per-image ones, in that order, without repeats. */
    pullSecrets: pulumi.Input<string>[];
    serviceAccountName: string;
}

/** `registry/repository:tag@digest` -> a short stable suffix for the Job name. */
export function migrationJobName(instance: string, image: string): string {
    const hash = createHash("sha256").update(image).digest("hex").slice(0, 10);
    return `${instance.slice(0, 40).replace(/-+$/, "")}-migrate-${hash}`;
}

/** The platform's pull Secrets first, then each image's; per-image ones are added, never replacing. */
export function mergePullSecrets(shared: pulumi.Input<string>[], ...perImage: string[][]): pulumi.Input<string>[] {
    const seen = new Set<string>(shared.filter((s): s is string => typeof s === "string"));
    const added = perImage.flat().filter((name) => !seen.has(name) && (seen.add(name), true));
    return [...shared, ...added];
}

function settingsEnvFrom(inputs: WorkloadInputs): k8s.types.input.core.v1.EnvFromSource[] {
    return [{ configMapRef: { name: inputs.configMapName } }];
}

function passwordEnv(inputs: WorkloadInputs): EnvVar[] {
    return requiredSecretEnv(inputs.secretRefs, DATABASE_SECRET_ENV);
}

/** Your init containers, then the MySQL wait when enabled: what runs before any migration. */
export function buildDependencyInitContainers(inputs: WorkloadInputs): ContainerArgs[] {
    const { config } = inputs;
    const user: ContainerArgs[] = config.initContainers.map((c) => ({
        name: c.name,
        image: c.image,
        imagePullPolicy: c.imagePullPolicy,
        command: c.command,
        args: c.args,
        env: c.env,
        resources: c.resources,
        writableDirs: [TMP_DIR],
        volumeMounts: c.volumeMounts,
    }));
    const deps = config.initContainerDependencies;
    const wait = deps.waitForMySQL;
    if (!deps.enabled || !wait.enabled) return user;
    return [
        ...user,
        buildWaitForMysqlContainer({
            image: inputs.waitImage,
            imagePullPolicy: wait.image.pullPolicy,
            resources: wait.resources,
            timeoutSeconds: wait.timeoutSeconds,
            intervalSeconds: wait.intervalSeconds,
            connectTimeoutSeconds: wait.connectTimeoutSeconds,
            envFrom: settingsEnvFrom(inputs),
            passwordEnv: passwordEnv(inputs),
        }),
    ];
}

/** The migration: the backend image with the settings and the database password, nothing else. */
export function buildMigrationContainer(inputs: WorkloadInputs): ContainerArgs {
    const { config } = inputs;
    return {
        name: MIGRATION_CONTAINER,
        image: inputs.image,
        imagePullPolicy: config.image.pullPolicy,
        command: config.migrations.command,
        envFrom: settingsEnvFrom(inputs),
        env: passwordEnv(inputs),
        resources: config.migrations.resources,
        writableDirs: [TMP_DIR],
        volumeMounts: config.extraVolumeMounts,
    };
}

export function buildBackendContainer(inputs: WorkloadInputs): ContainerArgs {
    const { config } = inputs;
    const timings = (p: AgentBackendConfig["readinessProbe"]) => ({
        initialDelaySeconds: p.initialDelaySeconds,
        periodSeconds: p.periodSeconds,
        timeoutSeconds: p.timeoutSeconds,
        failureThreshold: p.failureThreshold,
    });
    const probe = (p: AgentBackendConfig["readinessProbe"]) => (p.enabled ? httpGetProbe(p.path, "http", timings(p)) : undefined);
    return {
        name: BACKEND_CONTAINER,
        image: inputs.image,
        imagePullPolicy: config.image.pullPolicy,
        command: config.command,
        args: config.args,
        ports: [{ name: "http", containerPort: config.containerPort, protocol: "TCP" }],
        // The user's variables last: the kubelet lets a later entry of the same name win.
        env: [...requiredSecretEnv(inputs.secretRefs, BACKEND_SECRET_ENV), ...config.extraEnvVars],
        envFrom: [
            ...settingsEnvFrom(inputs),
            ...config.extraEnvVarsCMs.map((name) => ({ configMapRef: { name } })),
            ...config.extraEnvVarsSecrets.map((name) => ({ secretRef: { name } })),
        ],
        startup: probe(config.startupProbe),
        readiness: probe(config.readinessProbe),
        liveness: probe(config.livenessProbe),
        resources: config.resources,
        writableDirs: [TMP_DIR],
        volumeMounts: config.extraVolumeMounts,
    };
}

function buildAffinity(config: AgentBackendConfig, identity: AppIdentity): k8s.types.input.core.v1.Affinity | undefined {
    const s = config.scheduling;
    const term = { labelSelector: { matchLabels: selectorLabels(identity) }, topologyKey: "kubernetes.io/hostname" };
    const podAntiAffinity =
        s.podAntiAffinity === "required"
            ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
            : s.podAntiAffinity === "preferred"
              ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] }
              : undefined;
    const nodeAffinity = s.requiredNodeAffinity.length
        ? {
              requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: s.requiredNodeAffinity.map((e) => ({ ...e, values: e.values.length ? e.values : undefined })) }],
              },
          }
        : undefined;
    return podAntiAffinity || nodeAffinity ? { ...(nodeAffinity ? { nodeAffinity } : {}), ...(podAntiAffinity ? { podAntiAffinity } : {}) } : undefined;
}

/** A hardened pod of the backend's identity, with the pull Secrets and scheduling of the block. */
function buildBackendPod(
    inputs: WorkloadInputs,
    pod: { initContainers: ContainerArgs[]; containers: ContainerArgs[]; restartPolicy?: "Never"; identity: AppIdentity },
): PodSpec {
    const { config } = inputs;
    const s = config.scheduling;
    const spec = buildPodSpec({
        runAs: { user: config.securityContext.runAsUser, group: config.securityContext.runAsGroup, fsGroup: config.securityContext.fsGroup },
        serviceAccountName: inputs.serviceAccountName,
        automountServiceAccountToken: config.serviceAccount.automountServiceAccountToken,
        initContainers: pod.initContainers,
        containers: pod.containers,
        volumes: config.extraVolumes,
        affinity: pod.restartPolicy ? undefined : buildAffinity(config, pod.identity),
        nodeSelector: Object.keys(s.nodeSelector).length ? s.nodeSelector : undefined,
        tolerations: s.tolerations,
        restartPolicy: pod.restartPolicy,
    });
    return {
        ...spec,
        ...(s.priorityClassName ? { priorityClassName: s.priorityClassName } : {}),
        // Names may be Outputs (a Secret the platform created), which the plain builder does not take.
        ...(inputs.pullSecrets.length ? { imagePullSecrets: inputs.pullSecrets.map((name) => ({ name })) } : {}),
    };
}

function templateLabels(config: AgentBackendConfig, identity: AppIdentity): Record<string, string> {
    // The identity labels win: selectors and network policies rely on them.
    return { ...config.commonLabels, ...config.podLabels, ...podLabels(identity) };
}

export function buildBackendDeploymentSpec(inputs: WorkloadInputs): k8s.types.input.apps.v1.DeploymentSpec {
    const { config, identity } = inputs;
    const migration = config.migrations.mode === "initContainer" ? [buildMigrationContainer(inputs)] : [];
    return {
        replicas: config.replicas,
        ...(config.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: config.revisionHistoryLimit } : {}),
        selector: { matchLabels: selectorLabels(identity) },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: config.rollingUpdate.maxSurge, maxUnavailable: config.rollingUpdate.maxUnavailable } },
        template: buildPodTemplate({
            labels: templateLabels(config, identity),
            annotations: config.podAnnotations,
            spec: buildBackendPod(inputs, {
                identity,
                initContainers: [...buildDependencyInitContainers(inputs), ...migration],
                containers: [buildBackendContainer(inputs)],
            }),
        }),
    };
}

/**
 * `migrations.mode: job`: the same dependencies, then the migration as the Job's only
 * container. The pods carry their own instance label, so the backend's Service never routes
 * to them.
 */
export function buildMigrationJobSpec(inputs: WorkloadInputs, migrationIdentity: AppIdentity): k8s.types.input.batch.v1.JobSpec {
    const { config } = inputs;
    return {
        backoffLimit: config.migrations.backoffLimit,
        activeDeadlineSeconds: config.migrations.activeDeadlineSeconds,
        template: buildPodTemplate({
            labels: templateLabels(config, migrationIdentity),
            annotations: config.podAnnotations,
            spec: buildBackendPod(inputs, {
                identity: migrationIdentity,
                initContainers: buildDependencyInitContainers(inputs),
                containers: [buildMigrationContainer(inputs)],
                restartPolicy: "Never",
            }),
        }),
    };
}
