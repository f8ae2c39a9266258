/**
 * Every policy of the pack: its public name, default enforcement level, a description
 * that says how to fix a violation, and the pure rule that finds them. The CrossGuard
 * pack and the offline checker are both built from this list.
 */
import { checkNoUnconfinedAppArmor } from "./rules/apparmor";
import { checkDropAllCapabilities, checkRestrictedCapabilities } from "./rules/capabilities";
import { checkNoCredentialsInEnvLiterals } from "./rules/env";
import { checkNoHostNamespaces, checkNoHostPorts, checkNoHostProcess, checkNoProbeOrLifecycleHost } from "./rules/host";
import { checkPinnedImage } from "./rules/images";
import { checkHealthProbes } from "./rules/probes";
import { checkResourceRequestsAndLimits } from "./rules/resources";
import { checkNoRunAsRootUser, checkRunAsNonRoot } from "./rules/run-as";
import { checkSeccompRestricted } from "./rules/seccomp";
import { checkDefaultProcMount, checkNoPrivilegeEscalation, checkNoPrivileged, checkReadOnlyRootFilesystem } from "./rules/security-context";
import { checkRestrictedSelinux } from "./rules/selinux";
import { checkNoServiceAccountTokenAutomount } from "./rules/service-account";
import { checkSafeSysctls } from "./rules/sysctls";
import { checkRestrictedVolumeTypes } from "./rules/volumes";
import type { Rule } from "./rules/workload";

export type DefaultEnforcementLevel = "mandatory" | "advisory";

export interface PolicyDefinition {
    readonly name: string;
    readonly defaultLevel: DefaultEnforcementLevel;
    /** What passes and how to fix a violation. */
    readonly description: string;
    readonly check: Rule;
}

export const policyCatalog: readonly PolicyDefinition[] = [
    {
        name: "run-as-non-root",
        defaultLevel: "mandatory",
        description:
            "Every container must run with an effective runAsNonRoot: true, and no level may set it to false. Fix: set securityContext.runAsNonRoot: true on the pod (or on every container) and remove any runAsNonRoot: false; an explicit pod-level false fails even when every container sets true. Pods with hostUsers: false are exempt.",
        check: checkRunAsNonRoot,
    },
    {
        name: "no-run-as-root-user",
        defaultLevel: "mandatory",
        description:
            "No pod or container may set runAsUser: 0. Fix: set a non-zero UID (e.g. 65532) at pod and container level; a pod-level 0 fails even when every container overrides it. Pods with hostUsers: false are exempt.",
        check: checkNoRunAsRootUser,
    },
    {
        name: "read-only-root-filesystem",
        defaultLevel: "mandatory",
        description:
            "Every container must set securityContext.readOnlyRootFilesystem: true (the pod-level securityContext has no such field). Fix: set it on each container and mount an emptyDir at the paths the process writes, such as /tmp. Windows pods are exempt.",
        check: checkReadOnlyRootFilesystem,
    },
    {
        name: "drop-all-capabilities",
        defaultLevel: "mandatory",
        description:
            'Every container\'s securityContext.capabilities.drop must contain "ALL" (exactly, upper case; listing capabilities one by one does not count). Fix: set capabilities.drop: ["ALL"] on each container. Windows pods are exempt.',
        check: checkDropAllCapabilities,
    },
    {
        name: "restricted-capabilities",
        defaultLevel: "mandatory",
        description:
            "securityContext.capabilities.add must be empty or contain only NET_BIND_SERVICE. Fix: remove every other added capability. Windows pods are exempt.",
        check: checkRestrictedCapabilities,
    },
    {
        name: "no-privilege-escalation",
        defaultLevel: "mandatory",
        description:
            "Every container must set securityContext.allowPrivilegeEscalation: false (unset allows escalation). Fix: set it to false on each container. Windows pods are exempt.",
        check: checkNoPrivilegeEscalation,
    },
    {
        name: "no-privileged-containers",
        defaultLevel: "mandatory",
        description:
            "No container may set securityContext.privileged: true. Fix: remove it; a container that only needs to bind a port below 1024 can add the NET_BIND_SERVICE capability instead.",
        check: checkNoPrivileged,
    },
    {
        name: "seccomp-restricted",
        defaultLevel: "mandatory",
        description:
            "Every container's effective seccompProfile.type must be RuntimeDefault or Localhost, and no level may set anything else (a pod-level Unconfined fails even when containers set RuntimeDefault). Fix: set securityContext.seccompProfile.type: RuntimeDefault on the pod. Windows pods are exempt.",
        check: checkSeccompRestricted,
    },
    {
        name: "no-host-namespaces",
        defaultLevel: "mandatory",
        description: "hostNetwork, hostPID and hostIPC must be unset or false. Fix: remove them from the pod spec and expose ports through a Service.",
        check: checkNoHostNamespaces,
    },
    {
        name: "no-host-ports",
        defaultLevel: "mandatory",
        description:
            "No container port may set a non-zero hostPort (with hostNetwork: true every port defaults to one). Fix: remove hostPort and expose the port through a Service.",
        check: checkNoHostPorts,
    },
    {
        name: "restricted-volume-types",
        defaultLevel: "mandatory",
        description:
            "Volumes may only be configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret; hostPath, nfs and other inline sources fail. Fix: use a PersistentVolumeClaim for storage and configMap/secret/projected for configuration.",
        check: checkRestrictedVolumeTypes,
    },
    {
        name: "default-proc-mount",
        defaultLevel: "mandatory",
        description: "securityContext.procMount must be unset or Default. Fix: remove procMount from the container.",
        check: checkDefaultProcMount,
    },
    {
        name: "restricted-selinux",
        defaultLevel: "mandatory",
        description:
            "seLinuxOptions.type must be empty, container_t, container_init_t, container_kvm_t or container_engine_t, and seLinuxOptions.user and .role must be unset, at pod and container level. Fix: remove the custom SELinux options.",
        check: checkRestrictedSelinux,
    },
    {
        name: "no-unconfined-apparmor",
        defaultLevel: "mandatory",
        description:
            "AppArmor profiles must be RuntimeDefault or Localhost: appArmorProfile.type at pod and container level, and container.apparmor.security.beta.kubernetes.io/* annotations must be runtime/default, localhost/<profile> or empty. Fix: remove the Unconfined profile or annotation.",
        check: checkNoUnconfinedAppArmor,
    },
    {
        name: "safe-sysctls",
        defaultLevel: "mandatory",
        description:
            "spec.securityContext.sysctls may only name the sysctls Pod Security calls safe (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem). Fix: remove the others.",
        check: checkSafeSysctls,
    },
    {
        name: "no-host-process",
        defaultLevel: "mandatory",
        description: "securityContext.windowsOptions.hostProcess must be unset or false at pod and container level. Fix: remove hostProcess.",
        check: checkNoHostProcess,
    },
    {
        name: "no-probe-or-lifecycle-host",
        defaultLevel: "mandatory",
        description:
            "Probes (liveness, readiness, startup) and lifecycle handlers (postStart, preStop) may not set httpGet.host or tcpSocket.host (Pod Security v1.34+). Fix: remove host so the kubelet probes the pod's own IP.",
        check: checkNoProbeOrLifecycleHost,
    },
    {
        name: "resource-requests-and-limits",
        defaultLevel: "advisory",
        description:
            "Every regular and init container should set CPU and memory requests and a memory limit (a limit alone also sets the request). Fix: set resources.requests.cpu, resources.requests.memory and resources.limits.memory.",
        check: checkResourceRequestsAndLimits,
    },
    {
        name: "pinned-image",
        defaultLevel: "advisory",
        description:
            "Every container image should carry a tag other than latest; a digest (image@sha256:...) is best. Fix: pin the image to a version tag or a digest.",
        check: checkPinnedImage,
    },
    {
        name: "health-probes",
        defaultLevel: "advisory",
        description:
            "Long-running containers (regular containers of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and always-restarting Pods, plus sidecar init containers) should have a readinessProbe and a livenessProbe. Fix: add both probes.",
        check: checkHealthProbes,
    },
    {
        name: "no-credentials-in-env-literals",
        defaultLevel: "advisory",
        description:
            "An env var whose name looks like a credential (a word ending in KEY, SECRET, TOKEN or PASSWORD) should not carry a literal value. Fix: store the value in a Secret and reference it with valueFrom.secretKeyRef.",
        check: checkNoCredentialsInEnvLiterals,
    },
    {
        name: "no-service-account-token-automount",
        defaultLevel: "advisory",
        description:
            "Pods should set automountServiceAccountToken: false, or true explicitly when the workload talks to the Kubernetes API. Fix: set automountServiceAccountToken in the pod spec.",
        check: checkNoServiceAccountTokenAutomount,
    },
];
