/**
 * The worker's RBAC: a Role in the jobs namespace (where the Jobs are created, which need not
 * be the worker's own) and a RoleBinding there that names the worker's ServiceAccount in the
 * worker's namespace. Nothing cluster-wide, no wildcards, no Secrets.
 *
 * Each rule is what the worker's code calls (oeway/hypha-k8s-worker, `k8s.py`):
 * - Jobs: `create_namespaced_job` to launch, `delete_namespaced_job` to stop; get/list/watch
 *   to follow them;
 * - pods: `list_namespaced_pod` by `job-name` to find and follow a Job's pod; get/watch too;
 * - pods/log: `read_namespaced_pod_log`. The log subresource has only GET, so `get` is all
 *   there is to grant (list/watch on it would allow nothing);
 * - pods/exec: `execute` runs commands in the Job's pod through the Python client's
 *   `stream()`, a WebSocket upgrade of a GET. The API server checks `get` for that before
 *   Kubernetes 1.35 and `create` from 1.35 on (feature gate
 *   AuthorizePodWebsocketUpgradeCreatePermission, kubernetes/kubernetes#134577), so both.
 * The chart's `get` on Secrets is not granted: the worker never reads a Secret, its jobs read
 * theirs through `secretKeyRef`, which the kubelet resolves.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[] };

export const HYPHA_WORKER_RULES: readonly PolicyRule[] = [
    { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete", "get", "list", "watch"] },
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
    { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
];

export function buildRoleBindingRefs(
    roleName: pulumi.Input<string>,
    serviceAccount: { name: string; namespace: pulumi.Input<string> },
): Pick<k8s.types.input.rbac.v1.RoleBinding, "roleRef" | "subjects"> {
    return {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
        // The ServiceAccount lives in the worker's namespace, the binding in the jobs namespace.
        subjects: [{ kind: "ServiceAccount", name: serviceAccount.name, namespace: serviceAccount.namespace }],
    };
}
