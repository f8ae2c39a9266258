/**
 * The generated matrix: every container-level policy × every container position ×
 * every workload kind, one changed field per case, checked for exactly the expected
 * finding; plus pod-level cases and pod/container inheritance both ways per kind.
 */
import { expect } from "chai";
import type { WorkloadKind } from "../../policies/rules/pod-spec";
import type { ContainerPosition } from "../../policies/rules/workload";
import { allKinds, allPositions, containerAt, containerPath, kindLayout, runToCompletionKinds, workloadWith, type Json } from "./support/fixtures";
import { findingKeys } from "./support/findings";

interface ContainerCase {
    readonly policy: string;
    readonly title: string;
    /** Field path relative to the container. */
    readonly field: string;
    readonly change: (container: Json) => void;
    readonly appliesTo?: (kind: WorkloadKind, position: ContainerPosition) => boolean;
}

const containerCases: readonly ContainerCase[] = [
    {
        policy: "run-as-non-root",
        title: "runAsNonRoot: false under a pod-level true",
        field: "securityContext.runAsNonRoot",
        change: (c) => {
            c.securityContext.runAsNonRoot = false;
        },
    },
    {
        policy: "no-run-as-root-user",
        title: "runAsUser: 0 under a pod-level non-zero UID",
        field: "securityContext.runAsUser",
        change: (c) => {
            c.securityContext.runAsUser = 0;
        },
    },
    {
        policy: "read-only-root-filesystem",
        title: "readOnlyRootFilesystem unset",
        field: "securityContext.readOnlyRootFilesystem",
        change: (c) => {
            delete c.securityContext.readOnlyRootFilesystem;
        },
    },
    {
        policy: "read-only-root-filesystem",
        title: "readOnlyRootFilesystem: false",
        field: "securityContext.readOnlyRootFilesystem",
        change: (c) => {
            c.securityContext.readOnlyRootFilesystem = false;
        },
    },
    {
        policy: "drop-all-capabilities",
        title: 'drop: ["all"] (wrong case)',
        field: "securityContext.capabilities.drop",
        change: (c) => {
            c.securityContext.capabilities.drop = ["all"];
        },
    },
    {
        policy: "drop-all-capabilities",
        title: "no capabilities",
        field: "securityContext.capabilities.drop",
        change: (c) => {
            delete c.securityContext.capabilities;
        },
    },
    {
        policy: "restricted-capabilities",
        title: "add: [SYS_ADMIN]",
        field: "securityContext.capabilities.add",
        change: (c) => {
            c.securityContext.capabilities.add = ["SYS_ADMIN"];
        },
    },
    {
        policy: "no-privilege-escalation",
        title: "allowPrivilegeEscalation unset",
        field: "securityContext.allowPrivilegeEscalation",
        change: (c) => {
            delete c.securityContext.allowPrivilegeEscalation;
        },
    },
    {
        policy: "no-privilege-escalation",
        title: "allowPrivilegeEscalation: true",
        field: "securityContext.allowPrivilegeEscalation",
        change: (c) => {
            c.securityContext.allowPrivilegeEscalation = true;
        },
    },
    {
        policy: "no-privileged-containers",
        title: "privileged: true",
        field: "securityContext.privileged",
        change: (c) => {
            c.securityContext.privileged = true;
        },
    },
    {
        policy: "seccomp-restricted",
        title: "seccomp Unconfined under a pod-level RuntimeDefault",
        field: "securityContext.seccompProfile.type",
        change: (c) => {
            c.securityContext.seccompProfile = { type: "Unconfined" };
        },
    },
    {
        policy: "no-host-ports",
        title: "hostPort: 8080",
        field: "ports[0].hostPort",
        change: (c) => {
            c.ports = [{ containerPort: 8080, hostPort: 8080 }];
        },
    },
    {
        policy: "default-proc-mount",
        title: "procMount: Unmasked",
        field: "securityContext.procMount",
        change: (c) => {
            c.securityContext.procMount = "Unmasked";
        },
    },
    {
        policy: "restricted-selinux",
        title: "seLinuxOptions.type: spc_t",
        field: "securityContext.seLinuxOptions",
        change: (c) => {
            c.securityContext.seLinuxOptions = { type: "spc_t" };
        },
    },
    {
        policy: "restricted-selinux",
        title: "seLinuxOptions.user set",
        field: "securityContext.seLinuxOptions",
        change: (c) => {
            c.securityContext.seLinuxOptions = { user: "system_u" };
        },
    },
    {
        policy: "no-unconfined-apparmor",
        title: "appArmorProfile Unconfined",
        field: "securityContext.appArmorProfile.type",
        change: (c) => {
            c.securityContext.appArmorProfile = { type: "Unconfined" };
        },
    },
    {
        policy: "no-host-process",
        title: "hostProcess: true",
        field: "securityContext.windowsOptions.hostProcess",
        change: (c) => {
            c.securityContext.windowsOptions = { hostProcess: true };
        },
    },
    {
        policy: "no-probe-or-lifecycle-host",
        title: "preStop httpGet.host",
        field: "lifecycle.preStop.httpGet.host",
        change: (c) => {
            c.lifecycle = { preStop: { httpGet: { path: "/stop", port: 8080, host: "10.0.0.1" } } };
        },
    },
    {
        policy: "resource-requests-and-limits",
        title: "no memory limit",
        field: "resources.limits.memory",
        change: (c) => {
            c.resources = { requests: { cpu: "100m", memory: "128Mi" } };
        },
        // The API gives ephemeral containers no resources.
        appliesTo: (_kind, position) => position !== "ephemeralContainers",
    },
    {
        policy: "pinned-image",
        title: "image tag latest",
        field: "image",
        change: (c) => {
            c.image = "nginx:latest";
        },
    },
    {
        policy: "pinned-image",
        title: "image without tag",
        field: "image",
        change: (c) => {
            c.image = "registry.example.com:5000/app";
        },
    },
    {
        policy: "health-probes",
        title: "no readinessProbe",
        field: "readinessProbe",
        change: (c) => {
            delete c.readinessProbe;
            c.livenessProbe = { tcpSocket: { port: 8080 } };
        },
        // Only regular containers of pods that keep running need probes.
        appliesTo: (kind, position) => position === "containers" && !runToCompletionKinds.has(kind),
    },
    {
        policy: "health-probes",
        title: "no livenessProbe",
        field: "livenessProbe",
        change: (c) => {
            delete c.livenessProbe;
            c.readinessProbe = { tcpSocket: { port: 8080 } };
        },
        appliesTo: (kind, position) => position === "containers" && !runToCompletionKinds.has(kind),
    },
    {
        policy: "no-credentials-in-env-literals",
        title: "API_TOKEN as a literal",
        field: "env[0].value",
        change: (c) => {
            c.env = [{ name: "API_TOKEN", value: "s3cr3t" }];
        },
    },
];

interface PodCase {
    readonly title: string;
    readonly change: (podSpec: Json, podMetadata: Json) => void;
    /** Expected findings as [policy, field relative to the pod spec or, with "@meta.", the pod metadata]. */
    readonly expected: ReadonlyArray<readonly [string, string]>;
}

function setOnEveryContainer(podSpec: Json, key: string, value: unknown): void {
    for (const position of allPositions) {
        containerAt(podSpec, position).securityContext[key] = value;
    }
}

const podCases: readonly PodCase[] = [
    {
        title: "pod-level runAsNonRoot: false fails even when every container sets true",
        change: (spec) => {
            setOnEveryContainer(spec, "runAsNonRoot", true);
            spec.securityContext.runAsNonRoot = false;
        },
        expected: [["run-as-non-root", "securityContext.runAsNonRoot"]],
    },
    {
        title: "pod-level runAsUser: 0 fails even when every container overrides it",
        change: (spec) => {
            setOnEveryContainer(spec, "runAsUser", 10001);
            spec.securityContext.runAsUser = 0;
        },
        expected: [["no-run-as-root-user", "securityContext.runAsUser"]],
    },
    {
        title: "pod-level seccomp Unconfined fails even when every container sets RuntimeDefault",
        change: (spec) => {
            setOnEveryContainer(spec, "seccompProfile", { type: "RuntimeDefault" });
            spec.securityContext.seccompProfile = { type: "Unconfined" };
        },
        expected: [["seccomp-restricted", "securityContext.seccompProfile.type"]],
    },
    {
        title: "hostPID: true",
        change: (spec) => {
            spec.hostPID = true;
        },
        expected: [["no-host-namespaces", "hostPID"]],
    },
    {
        title: "hostIPC: true",
        change: (spec) => {
            spec.hostIPC = true;
        },
        expected: [["no-host-namespaces", "hostIPC"]],
    },
    {
        title: "hostNetwork: true (the API server then defaults hostPort to containerPort)",
        change: (spec) => {
            spec.hostNetwork = true;
        },
        expected: [
            ["no-host-namespaces", "hostNetwork"],
            ["no-host-ports", "containers[0].ports[0].hostPort"],
        ],
    },
    {
        title: "a hostPath volume",
        change: (spec) => {
            spec.volumes.push({ name: "host", hostPath: { path: "/var/run" } });
        },
        expected: [["restricted-volume-types", "volumes[2].hostPath"]],
    },
    {
        title: "pod-level seLinuxOptions.role",
        change: (spec) => {
            spec.securityContext.seLinuxOptions = { role: "sysadm_r" };
        },
        expected: [["restricted-selinux", "securityContext.seLinuxOptions"]],
    },
    {
        title: "pod-level appArmorProfile Unconfined",
        change: (spec) => {
            spec.securityContext.appArmorProfile = { type: "Unconfined" };
        },
        expected: [["no-unconfined-apparmor", "securityContext.appArmorProfile.type"]],
    },
    {
        title: "AppArmor annotation unconfined",
        change: (_spec, meta) => {
            meta.annotations["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined";
        },
        expected: [["no-unconfined-apparmor", '@meta.annotations["container.apparmor.security.beta.kubernetes.io/app"]']],
    },
    {
        title: "an unsafe sysctl",
        change: (spec) => {
            spec.securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }];
        },
        expected: [["safe-sysctls", "securityContext.sysctls[0].name"]],
    },
    {
        title: "pod-level hostProcess: true",
        change: (spec) => {
            spec.securityContext.windowsOptions = { hostProcess: true };
        },
        expected: [["no-host-process", "securityContext.windowsOptions.hostProcess"]],
    },
    {
        title: "automountServiceAccountToken unset",
        change: (spec) => {
            delete spec.automountServiceAccountToken;
        },
        expected: [["no-service-account-token-automount", "automountServiceAccountToken"]],
    },
];

/** Inheritance cases for the fields that exist at both levels, per container position. */
interface InheritanceCase {
    readonly title: string;
    readonly change: (podSpec: Json, position: ContainerPosition) => void;
    /** Expected [policy, field relative to the container at `position`], or none. */
    readonly expected: ReadonlyArray<readonly [string, string]>;
}

const inheritanceCases: readonly InheritanceCase[] = [
    {
        title: "runAsNonRoot set on every container and not on the pod passes",
        change: (spec) => {
            delete spec.securityContext.runAsNonRoot;
            setOnEveryContainer(spec, "runAsNonRoot", true);
        },
        expected: [],
    },
    {
        title: "runAsNonRoot unset on the pod and on this container fails for this container",
        change: (spec, position) => {
            delete spec.securityContext.runAsNonRoot;
            setOnEveryContainer(spec, "runAsNonRoot", true);
            delete containerAt(spec, position).securityContext.runAsNonRoot;
        },
        expected: [["run-as-non-root", "securityContext.runAsNonRoot"]],
    },
    {
        title: "seccomp set on every container and not on the pod passes",
        change: (spec) => {
            delete spec.securityContext.seccompProfile;
            setOnEveryContainer(spec, "seccompProfile", { type: "RuntimeDefault" });
        },
        expected: [],
    },
    {
        title: "seccomp unset on the pod and on this container fails for this container",
        change: (spec, position) => {
            delete spec.securityContext.seccompProfile;
            setOnEveryContainer(spec, "seccompProfile", { type: "Localhost", localhostProfile: "p.json" });
            delete containerAt(spec, position).securityContext.seccompProfile;
        },
        expected: [["seccomp-restricted", "securityContext.seccompProfile"]],
    },
    {
        title: "a container-level Localhost seccomp profile overrides a pod-level RuntimeDefault",
        change: (spec, position) => {
            containerAt(spec, position).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "p.json" };
        },
        expected: [],
    },
    {
        title: "a non-zero container runAsUser passes under a non-zero pod runAsUser",
        change: (spec, position) => {
            containerAt(spec, position).securityContext.runAsUser = 2000;
        },
        expected: [],
    },
    {
        title: "readOnlyRootFilesystem at pod level satisfies nothing (the pod securityContext has no such field)",
        change: (spec, position) => {
            spec.securityContext.readOnlyRootFilesystem = true;
            delete containerAt(spec, position).securityContext.readOnlyRootFilesystem;
        },
        expected: [["read-only-root-filesystem", "securityContext.readOnlyRootFilesystem"]],
    },
    {
        title: "allowPrivilegeEscalation at pod level satisfies nothing",
        change: (spec, position) => {
            spec.securityContext.allowPrivilegeEscalation = false;
            delete containerAt(spec, position).securityContext.allowPrivilegeEscalation;
        },
        expected: [["no-privilege-escalation", "securityContext.allowPrivilegeEscalation"]],
    },
    {
        title: "capabilities at pod level satisfy nothing",
        change: (spec, position) => {
            spec.securityContext.capabilities = { drop: ["ALL"] };
            delete containerAt(spec, position).securityContext.capabilities;
        },
        expected: [["drop-all-capabilities", "securityContext.capabilities.drop"]],
    },
    {
        title: "runAsNonRoot outside the container's securityContext satisfies nothing",
        change: (spec, position) => {
            delete spec.securityContext.runAsNonRoot;
            setOnEveryContainer(spec, "runAsNonRoot", true);
            delete containerAt(spec, position).securityContext.runAsNonRoot;
            containerAt(spec, position).runAsNonRoot = true;
        },
        expected: [["run-as-non-root", "securityContext.runAsNonRoot"]],
    },
    {
        title: "readOnlyRootFilesystem outside the container's securityContext satisfies nothing",
        change: (spec, position) => {
            const container = containerAt(spec, position);
            delete container.securityContext.readOnlyRootFilesystem;
            container.readOnlyRootFilesystem = true;
        },
        expected: [["read-only-root-filesystem", "securityContext.readOnlyRootFilesystem"]],
    },
    {
        title: "hostNetwork inside a container is not a field and changes nothing",
        change: (spec, position) => {
            containerAt(spec, position).hostNetwork = true;
        },
        expected: [],
    },
];

describe("Pod Security and hygiene matrix (every kind × every container position)", () => {
    for (const kind of allKinds) {
        const layout = kindLayout[kind];
        describe(kind, () => {
            it("the compliant fixture passes every policy", () => {
                expect(findingKeys(workloadWith(kind))).to.deep.equal([]);
            });

            for (const testCase of containerCases) {
                for (const position of allPositions) {
                    const applies = testCase.appliesTo?.(kind, position) ?? true;
                    const expected = applies ? [`${testCase.policy} @ ${containerPath(kind, position)}.${testCase.field}`] : [];
                    it(`${position}: ${testCase.title} -> ${applies ? testCase.policy : "no finding"}`, () => {
                        const object = workloadWith(kind, (spec) => testCase.change(containerAt(spec, position)));
                        expect(findingKeys(object)).to.deep.equal(expected);
                    });
                }
            }

            for (const testCase of podCases) {
                it(`pod: ${testCase.title}`, () => {
                    const object = workloadWith(kind, testCase.change);
                    const expected = testCase.expected
                        .map(
                            ([policy, field]) =>
                                `${policy} @ ${field.startsWith("@meta.") ? `${layout.podMetadataPath}.${field.slice(6)}` : `${layout.podSpecPath}.${field}`}`,
                        )
                        .sort();
                    expect(findingKeys(object)).to.deep.equal(expected);
                });
            }

            for (const testCase of inheritanceCases) {
                for (const position of allPositions) {
                    it(`${position}: ${testCase.title}`, () => {
                        const object = workloadWith(kind, (spec) => testCase.change(spec, position));
                        const expected = testCase.expected.map(([policy, field]) => `${policy} @ ${containerPath(kind, position)}.${field}`);
                        expect(findingKeys(object)).to.deep.equal(expected);
                    });
                }
            }
        });
    }
});
