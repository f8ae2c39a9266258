/**
 * Stakater Reloader (`addons.reloader`): rolls a workload when a Secret it reads changes in place,
 * which is how a secret rotated in Key Vault reaches running pods. ESO updates the synced Secret
 * on its refresh, but a pod reads env vars once, when it starts.
 *
 * The values (chart stakater/reloader 2.2.16, Reloader v1.4.21; deployments/kubernetes/chart/reloader
 * values.yaml and templates/deployment.yaml):
 * - scoped to the platform namespace (`watchGlobally: false` + `namespaces`): the chart then
 *   creates a Role and RoleBinding in each watched namespace and no ClusterRole, so Reloader can
 *   read Secrets and patch workloads there only;
 * - `ignoreConfigMaps`: the platform's ConfigMaps are immutable and content-named, a change is a
 *   new name, which rolls the pods already;
 * - `reloadStrategy: annotations`: a reload stamps `reloader.stakater.com/last-reloaded-from` on
 *   the pod template instead of adding an env var to every container, so the Deployments Pulumi
 *   manages keep the containers it declared (the strategy Reloader recommends next to GitOps tools);
 * - the pod meets the mandatory policy pack: non-root UID 65534, read-only root filesystem (the
 *   chart then mounts an emptyDir at /tmp), no privilege escalation, every capability dropped,
 *   seccomp RuntimeDefault, requests and a memory limit; the chart always sets HTTP liveness
 *   (`/live`) and readiness (`/metrics`) probes on port 9090; the token is mounted explicitly
 *   (Reloader watches the API server).
 *
 * Workloads opt in with `secret.reloader.stakater.com/reload: <Secret names>` (secrets.ts
 * `withReloaderAnnotation`), never `reloader.stakater.com/auto`: only the Secrets that change in
 * place are named, so nothing else a pod reads can restart it.
 */

/** The chart's pinned version (Reloader v1.4.21). */
export const RELOADER_CHART_VERSION = "2.2.16";
export const RELOADER_REPO = "https://stakater.github.io/stakater-charts";
/** Reloader's image user (the chart's default `runAsUser`). */
export const RELOADER_UID = 65534;

/** The chart's values: Reloader watching `namespaces` (the platform's) only. */
export function buildReloaderValues(namespaces: readonly string[]): Record<string, unknown> {
    return {
        reloader: {
            watchGlobally: false,
            namespaces: [...namespaces],
            ignoreConfigMaps: true,
            reloadStrategy: "annotations",
            readOnlyRootFileSystem: true,
            deployment: {
                replicas: 1,
                automountServiceAccountToken: true,
                securityContext: { runAsNonRoot: true, runAsUser: RELOADER_UID, runAsGroup: RELOADER_UID, seccompProfile: { type: "RuntimeDefault" } },
                containerSecurityContext: {
                    runAsNonRoot: true,
                    runAsUser: RELOADER_UID,
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                    seccompProfile: { type: "RuntimeDefault" },
                },
                resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            },
        },
    };
}
