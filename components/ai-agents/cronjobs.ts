/**
 * The main chart's CronJobs, hardened like every other pod and never overlapping
 * (`concurrencyPolicy: Forbid`, bounded history, a deadline per run):
 * - cleanup: removes job workspaces under WORKSPACE_DIR in which nothing changed for
 *   `maxAgeHours` (those that survived crashes); a plain POSIX sh script in the API image;
 * - token-refresh: runs `tokenRefresh.command` in the API image, with the API's ConfigMap,
 *   as the executor ServiceAccount (the one allowed to write credentials back).
 * Both mount the workspace (jobs/ and .accounts/ live there).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ContainerArgs, buildPodSpec, buildPodTemplate, objectLabels, podLabels, TMP_DIR } from "../pod";
import { AI_AGENTS_RUN_AS, ResolvedAiAgents, WORKSPACE_VOLUME, workspaceAffinity } from "./resolve";

/**
 * Removes each top-level directory of WORKSPACE_DIR in which no file changed for
 * MAX_AGE_MINUTES. A directory's own mtime is not enough: a long job writing deep inside would
 * look stale. Symlinks are skipped (never followed into another tree).
 */
export const CLEANUP_SCRIPT = `set -eu
case "\${WORKSPACE_DIR:-}" in
  ""|/) echo "cleanup: refusing to clean WORKSPACE_DIR='\${WORKSPACE_DIR:-}'" >&2; exit 1 ;;
esac
if [ ! -d "$WORKSPACE_DIR" ]; then
  echo "cleanup: $WORKSPACE_DIR does not exist; nothing to do"
  exit 0
fi
removed=0
for entry in "$WORKSPACE_DIR"/* "$WORKSPACE_DIR"/.[!.]*; do
  if [ -L "$entry" ] || [ ! -d "$entry" ]; then continue; fi
  if [ -z "$(find "$entry" -mmin "-$MAX_AGE_MINUTES" -print | head -n 1)" ]; then
    echo "cleanup: removing $entry (unchanged for $MAX_AGE_MINUTES minutes)"
    rm -rf -- "$entry"
    removed=$((removed + 1))
  fi
done
echo "cleanup: removed $removed stale workspace(s)"
`;

type CronSettings = ResolvedAiAgents["config"]["cronJobs"]["cleanup"] | ResolvedAiAgents["config"]["cronJobs"]["tokenRefresh"];

function buildCronJobSpec(
    resolved: ResolvedAiAgents,
    settings: CronSettings,
    pod: { labels: Record<string, string>; serviceAccountName: string; automount: boolean; container: ContainerArgs },
): k8s.types.input.batch.v1.CronJobSpec {
    const affinity = workspaceAffinity(resolved);
    const spec = buildPodSpec({
        runAs: AI_AGENTS_RUN_AS,
        serviceAccountName: pod.serviceAccountName,
        automountServiceAccountToken: pod.automount,
        imagePullSecrets: resolved.pullSecrets,
        containers: [pod.container],
        volumes: [{ name: WORKSPACE_VOLUME, persistentVolumeClaim: { claimName: resolved.names.workspaceClaim } }],
        restartPolicy: "OnFailure",
        ...(affinity ? { affinity } : {}),
    });
    return {
        schedule: settings.schedule,
        timeZone: resolved.config.cronJobs.timeZone,
        // A run still going when the next is due keeps going; the next one is skipped.
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: settings.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: settings.failedJobsHistoryLimit,
        jobTemplate: {
            metadata: { labels: pod.labels },
            spec: {
                backoffLimit: 2,
                activeDeadlineSeconds: settings.activeDeadlineSeconds,
                template: buildPodTemplate({ labels: pod.labels, spec }),
            },
        },
    };
}

export function buildCleanupCronJobSpec(resolved: ResolvedAiAgents): k8s.types.input.batch.v1.CronJobSpec {
    const { config, identities, names } = resolved;
    const settings = config.cronJobs.cleanup;
    return buildCronJobSpec(resolved, settings, {
        labels: podLabels(identities.cleanup),
        serviceAccountName: names.cleanup,
        automount: false, // files only, no API calls
        container: {
            name: "cleanup",
            image: resolved.images.api,
            imagePullPolicy: resolved.pullPolicy,
            command: ["/bin/sh", "-c", CLEANUP_SCRIPT],
            env: [
                { name: "WORKSPACE_DIR", value: config.settings.workspaceDir },
                { name: "MAX_AGE_MINUTES", value: String(settings.maxAgeHours * 60) },
            ],
            resources: settings.resources,
            writableDirs: [TMP_DIR],
            volumeMounts: [{ name: WORKSPACE_VOLUME, mountPath: config.storage.workspace.mountPath }],
        },
    });
}

export function buildTokenRefreshCronJobSpec(resolved: ResolvedAiAgents, apiConfigMapName: string): k8s.types.input.batch.v1.CronJobSpec {
    const { config, identities, names } = resolved;
    const settings = config.cronJobs.tokenRefresh;
    return buildCronJobSpec(resolved, settings, {
        labels: podLabels(identities.tokenRefresh),
        serviceAccountName: names.executorServiceAccount,
        automount: true, // writes refreshed credentials back
        container: {
            name: "token-refresh",
            image: resolved.images.api,
            imagePullPolicy: resolved.pullPolicy,
            command: settings.command,
            envFrom: [{ configMapRef: { name: apiConfigMapName } }],
            resources: settings.resources,
            writableDirs: [TMP_DIR],
            volumeMounts: [{ name: WORKSPACE_VOLUME, mountPath: config.storage.workspace.mountPath }],
        },
    });
}

export interface AiAgentsCronJobsArgs {
    resolved: ResolvedAiAgents;
    /** The API's ConfigMap, which token-refresh reads. */
    apiConfigMapName: string;
    /** ServiceAccounts the jobs run as. @default [] */
    rbac?: pulumi.Resource[];
}

export class AiAgentsCronJobs extends pulumi.ComponentResource {
    constructor(name: string, args: AiAgentsCronJobsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:ai-agents:AiAgentsCronJobs", name, {}, opts);
        const { resolved } = args;
        const { cronJobs } = resolved.config;
        const after = { parent: this, dependsOn: args.rbac ?? [] };
        if (cronJobs.cleanup.enabled) {
            new k8s.batch.v1.CronJob(
                `${name}-cleanup`,
                {
                    metadata: { name: resolved.names.cleanup, namespace: resolved.namespace, labels: objectLabels(resolved.identities.cleanup) },
                    spec: buildCleanupCronJobSpec(resolved),
                },
                after,
            );
        }
        if (cronJobs.tokenRefresh.enabled) {
            new k8s.batch.v1.CronJob(
                `${name}-token-refresh`,
                {
                    metadata: { name: resolved.names.tokenRefresh, namespace: resolved.namespace, labels: objectLabels(resolved.identities.tokenRefresh) },
                    spec: buildTokenRefreshCronJobSpec(resolved, args.apiConfigMapName),
                },
                after,
            );
        }
        this.registerOutputs({});
    }
}
