/**
 * Pure builders for hardened workloads: labels, containers, pod specs and pod templates.
 *
 * Every container built here (init containers included) runs as a non-root, non-zero UID/GID
 * with a read-only root filesystem, no privilege escalation, all capabilities dropped and the
 * RuntimeDefault seccomp profile. These are the Pod Security "restricted" controls our policy
 * pack enforces; builders set them at container level *and* at pod level where the API has
 * them, so no container depends on inheritance. Nothing here talks to Pulumi's engine.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export type Container = k8s.types.input.core.v1.Container;
export type PodSpec = k8s.types.input.core.v1.PodSpec;
export type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
export type Probe = k8s.types.input.core.v1.Probe;
export type EnvVar = k8s.types.input.core.v1.EnvVar;
export type Volume = k8s.types.input.core.v1.Volume;

/** Who an object belongs to; becomes the `app.kubernetes.io/*` labels. */
export interface AppIdentity {
    /** `app.kubernetes.io/name`: the application, e.g. `fractal-agents-runtime`. */
    name: string;
    /** `app.kubernetes.io/instance`: this deployment of it, e.g. `agent-runtime`. */
    instance: string;
    /** `app.kubernetes.io/component`, e.g. `runtime`. */
    component: string;
    /** `app.kubernetes.io/version` on objects (never on pods: a version bump must not restart them). */
    version?: string;
}

export const PART_OF = "agent-platform";
export const MANAGED_BY = "pulumi";

/** The labels a Service or Deployment selects on: name and instance, so two releases never cross-route. */
export function selectorLabels(id: AppIdentity): Record<string, string> {
    return { "app.kubernetes.io/name": id.name, "app.kubernetes.io/instance": id.instance };
}

/** Labels for pods: stable across upgrades (no version). */
export function podLabels(id: AppIdentity): Record<string, string> {
    return {
        ...selectorLabels(id),
        "app.kubernetes.io/component": id.component,
        "app.kubernetes.io/part-of": PART_OF,
    };
}

/** Labels for every other object. */
export function objectLabels(id: AppIdentity): Record<string, string> {
    return {
        ...podLabels(id),
        "app.kubernetes.io/managed-by": MANAGED_BY,
        ...(id.version ? { "app.kubernetes.io/version": id.version } : {}),
    };
}

/** The identity a pod's processes run as. */
export interface RunAs {
    /** Non-zero UID. */
    user: number;
    /** Non-zero GID. */
    group: number;
    /** GID applied to mounted volumes; defaults to `group`. */
    fsGroup?: number;
}

function assertRunAs(runAs: RunAs): void {
    for (const [field, id] of [
        ["user", runAs.user],
        ["group", runAs.group],
        ["fsGroup", runAs.fsGroup ?? runAs.group],
    ] as const) {
        if (!Number.isInteger(id) || id <= 0) throw new Error(`runAs.${field} must be a positive integer (non-root), got ${id}`);
    }
}

export function containerSecurityContext(runAs: RunAs): k8s.types.input.core.v1.SecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: runAs.user,
        runAsGroup: runAs.group,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function podSecurityContext(runAs: RunAs): k8s.types.input.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: runAs.user,
        runAsGroup: runAs.group,
        fsGroup: runAs.fsGroup ?? runAs.group,
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** A writable directory backed by an emptyDir: the only writable paths a container gets. */
export interface WritableDir {
    /** Volume name, unique in the pod, e.g. `tmp`. */
    name: string;
    mountPath: string;
    /** emptyDir size limit, e.g. `256Mi`. */
    sizeLimit?: string;
}

export const TMP_DIR: WritableDir = { name: "tmp", mountPath: "/tmp" };

export interface ContainerArgs {
    name: string;
    image: string;
    imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
    command?: string[];
    args?: string[];
    env?: EnvVar[];
    envFrom?: k8s.types.input.core.v1.EnvFromSource[];
    ports?: k8s.types.input.core.v1.ContainerPort[];
    liveness?: Probe;
    readiness?: Probe;
    startup?: Probe;
    resources: k8s.types.input.core.v1.ResourceRequirements;
    /** Writable emptyDir mounts; nothing else is writable. */
    writableDirs?: WritableDir[];
    /** Further mounts of volumes the pod declares (e.g. a ConfigMap or a PVC). */
    volumeMounts?: k8s.types.input.core.v1.VolumeMount[];
    lifecycle?: k8s.types.input.core.v1.Lifecycle;
}

/** A hardened container. `runAs` is repeated at container level on purpose (see file comment). */
export function buildContainer(args: ContainerArgs, runAs: RunAs): Container {
    assertRunAs(runAs);
    const mounts = [...(args.writableDirs ?? []).map((dir) => ({ name: dir.name, mountPath: dir.mountPath })), ...(args.volumeMounts ?? [])];
    return {
        name: args.name,
        image: args.image,
        ...(args.imagePullPolicy ? { imagePullPolicy: args.imagePullPolicy } : {}),
        ...(args.command ? { command: args.command } : {}),
        ...(args.args ? { args: args.args } : {}),
        ...(args.ports?.length ? { ports: args.ports } : {}),
        ...(args.env?.length ? { env: args.env } : {}),
        ...(args.envFrom?.length ? { envFrom: args.envFrom } : {}),
        ...(args.startup ? { startupProbe: args.startup } : {}),
        ...(args.readiness ? { readinessProbe: args.readiness } : {}),
        ...(args.liveness ? { livenessProbe: args.liveness } : {}),
        ...(args.lifecycle ? { lifecycle: args.lifecycle } : {}),
        resources: args.resources,
        securityContext: containerSecurityContext(runAs),
        ...(mounts.length ? { volumeMounts: mounts } : {}),
    };
}

export interface PodSpecArgs {
    runAs: RunAs;
    containers: ContainerArgs[];
    initContainers?: ContainerArgs[];
    serviceAccountName?: string;
    /** Mount the ServiceAccount token only for workloads that call the API server. @default false */
    automountServiceAccountToken?: boolean;
    /** Secret names; a name may be an output of the resource that makes the Secret (so the pod waits for it). */
    imagePullSecrets?: pulumi.Input<string>[];
    /** Volumes other than the writable emptyDirs, which are derived from the containers. */
    volumes?: Volume[];
    affinity?: k8s.types.input.core.v1.Affinity;
    topologySpreadConstraints?: k8s.types.input.core.v1.TopologySpreadConstraint[];
    nodeSelector?: Record<string, string>;
    tolerations?: k8s.types.input.core.v1.Toleration[];
    terminationGracePeriodSeconds?: number;
    /** For Jobs and CronJobs. */
    restartPolicy?: "Always" | "OnFailure" | "Never";
}

/** One emptyDir volume per distinct writable dir name across all containers. */
function writableVolumes(containers: ContainerArgs[]): Volume[] {
    const byName = new Map<string, WritableDir>();
    for (const dir of containers.flatMap((c) => c.writableDirs ?? [])) {
        const seen = byName.get(dir.name);
        if (seen && seen.sizeLimit !== dir.sizeLimit) {
            throw new Error(`writable dir '${dir.name}' is declared twice with different size limits`);
        }
        byName.set(dir.name, dir);
    }
    return [...byName.values()].map((dir) => ({ name: dir.name, emptyDir: dir.sizeLimit ? { sizeLimit: dir.sizeLimit } : {} }));
}

export function buildPodSpec(args: PodSpecArgs): PodSpec {
    assertRunAs(args.runAs);
    const all = [...(args.initContainers ?? []), ...args.containers];
    const names = all.map((c) => c.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new Error(`container name '${duplicate}' is used twice in one pod`);
    const volumes = [...writableVolumes(all), ...(args.volumes ?? [])];
    const volumeNames = volumes.map((v) => v.name as string);
    const clash = volumeNames.find((name, i) => volumeNames.indexOf(name) !== i);
    if (clash) throw new Error(`volume name '${clash}' is used twice in one pod`);
    return {
        ...(args.serviceAccountName ? { serviceAccountName: args.serviceAccountName } : {}),
        automountServiceAccountToken: args.automountServiceAccountToken ?? false,
        securityContext: podSecurityContext(args.runAs),
        ...(args.imagePullSecrets?.length ? { imagePullSecrets: args.imagePullSecrets.map((name) => ({ name })) } : {}),
        ...(args.initContainers?.length ? { initContainers: args.initContainers.map((c) => buildContainer(c, args.runAs)) } : {}),
        containers: args.containers.map((c) => buildContainer(c, args.runAs)),
        ...(volumes.length ? { volumes } : {}),
        ...(args.affinity ? { affinity: args.affinity } : {}),
        ...(args.topologySpreadConstraints?.length ? { topologySpreadConstraints: args.topologySpreadConstraints } : {}),
        ...(args.nodeSelector ? { nodeSelector: args.nodeSelector } : {}),
        ...(args.tolerations?.length ? { tolerations: args.tolerations } : {}),
        ...(args.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: args.terminationGracePeriodSeconds } : {}),
        ...(args.restartPolicy ? { restartPolicy: args.restartPolicy } : {}),
    };
}

export function buildPodTemplate(args: { labels: Record<string, string>; annotations?: Record<string, string>; spec: PodSpec }): PodTemplateSpec {
    return {
        metadata: {
            labels: args.labels,
            ...(args.annotations && Object.keys(args.annotations).length ? { annotations: args.annotations } : {}),
        },
        spec: args.spec,
    };
}

export interface ProbeTimings {
    initialDelaySeconds: number;
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
}

export function httpGetProbe(path: string, port: string | number, timings: ProbeTimings): Probe {
    return { httpGet: { path, port }, ...timings, successThreshold: 1 };
}

/** What every service gets from the `images` block: the registry override and the pull secrets of every pod. */
export interface SharedImageSettings {
    registry?: string;
    /** Existing pull Secret names every pod gets; per-image ones are added to these. */
    pullSecrets: string[];
    /**
     * The stack's registry login Secrets, each with the registries it has logins for: a pod gets
     * those of its images' registries (`pullSecretsFor` in registry-credentials.ts). @default []
     */
    registryPullSecrets?: { registries: string[]; secretName: pulumi.Input<string> }[];
}

export interface ImageRef {
    /** Registry that replaces the one in `repository` (vendored images), if any. */
    registry?: string;
    /** Repository, with or without a registry host, e.g. `ghcr.io/org/app` or `mysql`. */
    repository: string;
    tag: string;
    digest?: string;
}

/** The registry host an image reference or repository names itself (a first segment with a dot or port, or localhost); none for Docker Hub's short names. */
export function registryHost(repository: string): string | undefined {
    const first = repository.split("/")[0]!;
    return repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : undefined;
}

/** `registry/repository:tag@digest`; a digest pins the image while the tag stays readable. */
export function imageReference(ref: ImageRef): string {
    let repository = ref.repository;
    if (ref.registry) {
        const path = registryHost(repository) !== undefined ? repository.slice(repository.indexOf("/") + 1) : repository;
        repository = `${ref.registry.replace(/\/+$/, "")}/${path}`;
    }
    return `${repository}:${ref.tag}${ref.digest ? `@${ref.digest}` : ""}`;
}
