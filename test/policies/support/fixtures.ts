/**
 * Compliant workloads of every kind, built from one hardened pod spec, and the field
 * paths the tests expect for each kind (written out here, independently of the extractor).
 */
import type { WorkloadKind } from "../../../policies/rules/pod-spec";
import type { ContainerPosition } from "../../../policies/rules/workload";

export type Json = Record<string, any>;

export const allKinds: readonly WorkloadKind[] = [
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
];

export const kindLayout: Record<WorkloadKind, { apiVersion: string; podSpecPath: string; podMetadataPath: string; typeToken: string }> = {
    Pod: { apiVersion: "v1", podSpecPath: "spec", podMetadataPath: "metadata", typeToken: "kubernetes:core/v1:Pod" },
    PodTemplate: { apiVersion: "v1", podSpecPath: "template.spec", podMetadataPath: "template.metadata", typeToken: "kubernetes:core/v1:PodTemplate" },
    ReplicationController: {
        apiVersion: "v1",
        podSpecPath: "spec.template.spec",
        podMetadataPath: "spec.template.metadata",
        typeToken: "kubernetes:core/v1:ReplicationController",
    },
    Deployment: {
        apiVersion: "apps/v1",
        podSpecPath: "spec.template.spec",
        podMetadataPath: "spec.template.metadata",
        typeToken: "kubernetes:apps/v1:Deployment",
    },
    StatefulSet: {
        apiVersion: "apps/v1",
        podSpecPath: "spec.template.spec",
        podMetadataPath: "spec.template.metadata",
        typeToken: "kubernetes:apps/v1:StatefulSet",
    },
    DaemonSet: {
        apiVersion: "apps/v1",
        podSpecPath: "spec.template.spec",
        podMetadataPath: "spec.template.metadata",
        typeToken: "kubernetes:apps/v1:DaemonSet",
    },
    ReplicaSet: {
        apiVersion: "apps/v1",
        podSpecPath: "spec.template.spec",
        podMetadataPath: "spec.template.metadata",
        typeToken: "kubernetes:apps/v1:ReplicaSet",
    },
    Job: { apiVersion: "batch/v1", podSpecPath: "spec.template.spec", podMetadataPath: "spec.template.metadata", typeToken: "kubernetes:batch/v1:Job" },
    CronJob: {
        apiVersion: "batch/v1",
        podSpecPath: "spec.jobTemplate.spec.template.spec",
        podMetadataPath: "spec.jobTemplate.spec.template.metadata",
        typeToken: "kubernetes:batch/v1:CronJob",
    },
};

export const runToCompletionKinds: ReadonlySet<WorkloadKind> = new Set(["Job", "CronJob"]);

export const allPositions: readonly ContainerPosition[] = ["initContainers", "containers", "ephemeralContainers"];

/** The one container of each position in the compliant pod spec. */
export const containerNameAt: Record<ContainerPosition, string> = {
    initContainers: "init",
    containers: "app",
    ephemeralContainers: "debug",
};

function hardenedSecurityContext(): Json {
    return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
}

/**
 * Passes every policy. runAsNonRoot, runAsUser and seccomp are set at pod level only,
 * so containers pass by inheritance; the container-only fields are set per container.
 */
export function compliantPodSpec(): Json {
    return {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        initContainers: [
            {
                name: "init",
                image: "registry.example.com/migrate:1.4.2",
                env: [
                    { name: "DB_HOST", value: "mysql" },
                    { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                ],
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                securityContext: hardenedSecurityContext(),
            },
        ],
        containers: [
            {
                name: "app",
                image: "registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                ports: [{ name: "http", containerPort: 8080 }],
                env: [{ name: "LOG_LEVEL", value: "info" }],
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                readinessProbe: { httpGet: { path: "/ready", port: "http" } },
                livenessProbe: { httpGet: { path: "/live", port: "http" } },
                securityContext: hardenedSecurityContext(),
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
        ],
        ephemeralContainers: [
            {
                name: "debug",
                image: "busybox:1.36",
                securityContext: hardenedSecurityContext(),
            },
        ],
        volumes: [
            { name: "tmp", emptyDir: {} },
            { name: "config", configMap: { name: "app-config" } },
        ],
    };
}

export function compliantPodMetadata(): Json {
    return { labels: { app: "demo" }, annotations: { "checksum/config": "abc" } };
}

/** Wraps a pod spec and pod metadata into an object of the given kind, where that kind keeps them. */
export function wrapInKind(kind: WorkloadKind, podSpec: Json, podMetadata: Json = compliantPodMetadata()): Json {
    const metadata = { name: "demo", namespace: "team-a" };
    const head = { apiVersion: kindLayout[kind].apiVersion, kind, metadata };
    const spec = runToCompletionKinds.has(kind) ? { restartPolicy: "Never", ...podSpec } : podSpec;
    const template = { metadata: podMetadata, spec };
    switch (kind) {
        case "Pod":
            return { ...head, metadata: { ...metadata, ...podMetadata }, spec };
        case "PodTemplate":
            return { ...head, template };
        case "CronJob":
            return { ...head, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } };
        default:
            return { ...head, spec: { selector: { matchLabels: { app: "demo" } }, template } };
    }
}

/** A compliant object of `kind` after `edit` changes its pod spec and/or pod metadata. */
export function workloadWith(kind: WorkloadKind, edit: (podSpec: Json, podMetadata: Json) => void = () => {}): Json {
    const podSpec = compliantPodSpec();
    const metadata = compliantPodMetadata();
    edit(podSpec, metadata);
    return wrapInKind(kind, podSpec, metadata);
}

export function containerAt(podSpec: Json, position: ContainerPosition): Json {
    return podSpec[position][0];
}

export function containerPath(kind: WorkloadKind, position: ContainerPosition): string {
    return `${kindLayout[kind].podSpecPath}.${position}[0]`;
}
