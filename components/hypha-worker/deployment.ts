/**
 * The worker's Deployment: the seed's environment, its token by `secretKeyRef`, the
 * ServiceAccount token mounted (it calls the API server), a writable /tmp only, and the
 * connection probes. One replica, replaced (not rolled): two workers registered under one
 * service id would each receive calls for sessions only the other one knows.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { AppIdentity, EnvVar, TMP_DIR, buildPodSpec, buildPodTemplate, podLabels, selectorLabels } from "../pod";
import type { HyphaWorkerConfig } from "./schema";
import { SecretRefs, secretEnv } from "../secrets";
import type { WorkerSecretId } from "./schema";
import { buildConnectionProbes } from "./probe";

/** The image's `worker` user. */
export const WORKER_UID = 1000;

export const WORKER_SECRET_ENV: Readonly<Record<string, WorkerSecretId>> = { HYPHA_TOKEN: "hyphaToken" };

/** The seed's variables, from config; the token is added from its Secret. */
export function buildHyphaWorkerEnv(config: HyphaWorkerConfig): EnvVar[] {
    const env: Record<string, string> = {
        HYPHA_SERVER_URL: config.hypha.serverUrl,
        HYPHA_WORKSPACE: config.hypha.workspace,
        HYPHA_SERVICE_ID: config.hypha.serviceId,
        HYPHA_VISIBILITY: config.hypha.visibility,
        HYPHA_K8S_NAMESPACE: config.jobs.namespace,
        HYPHA_K8S_DEFAULT_TIMEOUT: String(config.jobs.defaultTimeoutSeconds),
        HYPHA_K8S_IMAGE_PULL_POLICY: config.jobs.imagePullPolicy,
        HYPHA_LOGLEVEL: config.hypha.logLevel,
        PYTHONUNBUFFERED: "1",
    };
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

export interface WorkerPodInputs {
    identity: AppIdentity;
    image: string;
    /** The exec command of the connection probes. */
    probeCommand: string[];
    /** The pod's pull Secrets (names may be outputs of the resources that make them). */
    images: { pullSecrets: pulumi.Input<string>[] };
}

export function buildHyphaWorkerDeploymentSpec(
    config: HyphaWorkerConfig,
    inputs: WorkerPodInputs,
    secrets: SecretRefs<WorkerSecretId> = {},
): k8s.types.input.apps.v1.DeploymentSpec {
    const probes = buildConnectionProbes(inputs.probeCommand, config.health);
    const spec = buildPodSpec({
        runAs: { user: WORKER_UID, group: WORKER_UID, fsGroup: WORKER_UID },
        serviceAccountName: config.name,
        automountServiceAccountToken: true, // it creates, watches and execs into Jobs through the API server
        imagePullSecrets: inputs.images.pullSecrets,
        containers: [
            {
                name: "worker",
                image: inputs.image,
                imagePullPolicy: config.image.pullPolicy,
                env: [...buildHyphaWorkerEnv(config), ...secretEnv(secrets, WORKER_SECRET_ENV)],
                resources: config.resources,
                writableDirs: [TMP_DIR],
                ...probes,
            },
        ],
        nodeSelector: Object.keys(config.scheduling.nodeSelector).length ? config.scheduling.nodeSelector : undefined,
        tolerations: config.scheduling.tolerations,
    });
    return {
        replicas: config.replicas,
        selector: { matchLabels: selectorLabels(inputs.identity) },
        strategy: { type: "Recreate" },
        template: buildPodTemplate({ labels: podLabels(inputs.identity), spec }),
    };
}
