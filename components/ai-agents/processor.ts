/**
 * The processor: the operator's reconcile loop on its own, scaled independently of the API.
 * Its ConfigMap carries what it needs to launch executor Jobs; it mounts the shared workspace.
 * Its RBAC is in rbac.ts, its NetworkPolicy in network-policies.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildPodSpec, buildPodTemplate, objectLabels, podLabels, selectorLabels } from "../pod";
import {
    AI_AGENTS_RUN_AS,
    buildProcessorEnv,
    contentHashName,
    dataMounts,
    dataVolumes,
    processContainer,
    ResolvedAiAgents,
    workspaceAffinity,
    workspaceStrategy,
} from "./resolve";

export function buildProcessorConfigMap(resolved: ResolvedAiAgents) {
    const data = buildProcessorEnv(resolved);
    return {
        metadata: {
            name: contentHashName(`${resolved.names.processor}-env`, data),
            namespace: resolved.namespace,
            labels: objectLabels(resolved.identities.processor),
        },
        immutable: true,
        data,
    };
}

export function buildProcessorDeploymentSpec(resolved: ResolvedAiAgents, configMapName: string): k8s.types.input.apps.v1.DeploymentSpec {
    const { config, identities, names } = resolved;
    const affinity = workspaceAffinity(resolved);
    const spec = buildPodSpec({
        runAs: AI_AGENTS_RUN_AS,
        serviceAccountName: names.processor,
        automountServiceAccountToken: true, // watches the CRDs, launches Jobs
        imagePullSecrets: resolved.pullSecrets,
        containers: [
            {
                ...processContainer(resolved, { name: "processor", image: resolved.images.processor, port: config.settings.port }),
                envFrom: [{ configMapRef: { name: configMapName } }],
                resources: config.processor.resources,
                volumeMounts: dataMounts(resolved),
            },
        ],
        volumes: dataVolumes(resolved),
        ...(affinity ? { affinity } : {}),
    });
    return {
        replicas: config.processor.replicas,
        selector: { matchLabels: selectorLabels(identities.processor) },
        strategy: workspaceStrategy(resolved),
        template: buildPodTemplate({ labels: podLabels(identities.processor), spec }),
    };
}

export interface AiAgentsProcessorArgs {
    resolved: ResolvedAiAgents;
    /** The processor's ServiceAccount and RBAC. @default [] */
    rbac?: pulumi.Resource[];
    /** The labrats.work CRDs it watches. @default [] */
    crds?: pulumi.Resource[];
}

export class AiAgentsProcessor extends pulumi.ComponentResource {
    constructor(name: string, args: AiAgentsProcessorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsProcessor", name, {}, opts);
        const { resolved } = args;
        const configMap = buildProcessorConfigMap(resolved);
        const env = new k8s.core.v1.ConfigMap(`${name}-configmap`, configMap, { parent: this });
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: resolved.names.processor, namespace: resolved.namespace, labels: objectLabels(resolved.identities.processor) },
                spec: buildProcessorDeploymentSpec(resolved, configMap.metadata.name),
            },
            { parent: this, dependsOn: [env, ...(args.rbac ?? []), ...(args.crds ?? [])] },
        );
        this.registerOutputs({});
    }
}
