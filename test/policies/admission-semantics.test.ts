/**
 * Pod Security details taken from the admission code's checks and fixtures
 * (k8s.io/pod-security-admission v0.36): exact values, exemptions and relaxations.
 * Each case changes one thing on the compliant Deployment.
 */
import { expect } from "chai";
import { allowedVolumeSources, restrictedVolumeSources } from "../../policies/rules/volumes";
import { allKinds, allPositions, containerAt, kindLayout, workloadWith, type Json } from "./support/fixtures";
import { findingKeys, findingsOf } from "./support/findings";

const app = "spec.template.spec.containers[0]";
const podSpec = "spec.template.spec";

function deployment(edit: (spec: Json, meta: Json) => void): Json {
    return workloadWith("Deployment", edit);
}

function policiesFailing(object: Json): string[] {
    return [...new Set(findingsOf(object).map((finding) => finding.policy))].sort();
}

describe("capabilities (admission fixtures)", () => {
    it("dropping every capability one by one is not dropping ALL", () => {
        const each = [
            "SYS_TIME",
            "SYS_MODULE",
            "SYS_ADMIN",
            "NET_ADMIN",
            "CHOWN",
            "NET_RAW",
            "DAC_OVERRIDE",
            "FOWNER",
            "SETGID",
            "SETUID",
            "KILL",
            "NET_BIND_SERVICE",
        ];
        const object = deployment((spec) => {
            spec.containers[0].securityContext.capabilities.drop = each;
        });
        expect(findingKeys(object)).to.deep.equal([`drop-all-capabilities @ ${app}.securityContext.capabilities.drop`]);
    });

    it('"ALL" among other dropped capabilities passes', () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].securityContext.capabilities.drop = ["NET_RAW", "ALL"];
                }),
            ),
        ).to.deep.equal([]);
    });

    for (const spelling of ["all", "All", " ALL", "ALL "]) {
        it(`drop: [${JSON.stringify(spelling)}] fails: the match is exact and case-sensitive`, () => {
            const object = deployment((spec) => {
                spec.containers[0].securityContext.capabilities.drop = [spelling];
            });
            expect(policiesFailing(object)).to.deep.equal(["drop-all-capabilities"]);
        });
    }

    it("adding NET_BIND_SERVICE passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE"];
                }),
            ),
        ).to.deep.equal([]);
    });

    it("adding any default capability other than NET_BIND_SERVICE fails", () => {
        const object = deployment((spec) => {
            spec.containers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE", "CHOWN"];
        });
        const [finding] = findingsOf(object);
        expect(findingKeys(object)).to.deep.equal([`restricted-capabilities @ ${app}.securityContext.capabilities.add`]);
        expect(finding!.subject).to.equal('container "app"');
    });

    it("an empty capabilities object fails drop-all", () => {
        expect(
            policiesFailing(
                deployment((spec) => {
                    spec.containers[0].securityContext.capabilities = {};
                }),
            ),
        ).to.deep.equal(["drop-all-capabilities"]);
    });
});

describe("seccomp (admission fixtures)", () => {
    it("pod-level Localhost passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" };
                }),
            ),
        ).to.deep.equal([]);
    });

    it("unset everywhere fails for every container", () => {
        const object = deployment((spec) => {
            delete spec.securityContext.seccompProfile;
        });
        expect(findingKeys(object)).to.deep.equal(
            allPositions.map((position) => `seccomp-restricted @ ${podSpec}.${position}[0].securityContext.seccompProfile`).sort(),
        );
    });

    it("a seccompProfile without a type is a bad explicit profile, not an unset one", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].securityContext.seccompProfile = {};
                }),
            ),
        ).to.deep.equal([`seccomp-restricted @ ${app}.securityContext.seccompProfile.type`]);
    });

    it("seccompProfile: null is unset and inherits the pod's", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].securityContext.seccompProfile = null;
                }),
            ),
        ).to.deep.equal([]);
    });

    it("the seccomp annotation satisfies nothing since v1.19", () => {
        const object = deployment((spec, meta) => {
            delete spec.securityContext.seccompProfile;
            meta.annotations["seccomp.security.alpha.kubernetes.io/pod"] = "runtime/default";
        });
        expect(policiesFailing(object)).to.deep.equal(["seccomp-restricted"]);
    });
});

describe("runAsNonRoot and runAsUser", () => {
    it("unset at pod and containers fails for every container", () => {
        const object = deployment((spec) => {
            delete spec.securityContext.runAsNonRoot;
        });
        expect(findingKeys(object)).to.deep.equal(
            allPositions.map((position) => `run-as-non-root @ ${podSpec}.${position}[0].securityContext.runAsNonRoot`).sort(),
        );
    });

    it("a pod-level false fails for the pod and for every container that inherits it", () => {
        const object = deployment((spec) => {
            spec.securityContext.runAsNonRoot = false;
        });
        expect(findingKeys(object)).to.deep.equal(
            [
                `run-as-non-root @ ${podSpec}.securityContext.runAsNonRoot`,
                ...allPositions.map((position) => `run-as-non-root @ ${podSpec}.${position}[0].securityContext.runAsNonRoot`),
            ].sort(),
        );
    });

    it("runAsUser unset everywhere passes (only an explicit 0 fails)", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    delete spec.securityContext.runAsUser;
                }),
            ),
        ).to.deep.equal([]);
    });

    it("hostUsers: false (a user namespace) relaxes runAsNonRoot and runAsUser, as v1.35+ does", () => {
        const object = deployment((spec) => {
            spec.hostUsers = false;
            spec.securityContext.runAsNonRoot = false;
            spec.securityContext.runAsUser = 0;
            spec.containers[0].securityContext.runAsUser = 0;
        });
        expect(findingKeys(object)).to.deep.equal([]);
    });

    it("hostUsers: false does not relax procMount in the restricted profile", () => {
        const object = deployment((spec) => {
            spec.hostUsers = false;
            spec.containers[0].securityContext.procMount = "Unmasked";
        });
        expect(findingKeys(object)).to.deep.equal([`default-proc-mount @ ${app}.securityContext.procMount`]);
    });

    it("hostUsers: true relaxes nothing", () => {
        const object = deployment((spec) => {
            spec.hostUsers = true;
            spec.securityContext.runAsUser = 0;
        });
        expect(findingKeys(object)).to.deep.equal([`no-run-as-root-user @ ${podSpec}.securityContext.runAsUser`]);
    });
});

describe("Windows pods (spec.os.name: windows)", () => {
    // The admission code exempts Windows pods from these three checks since v1.25; the pack
    // also exempts readOnlyRootFilesystem, which the API rejects for Windows pods.
    function bareWindowsPod(osName: string): Json {
        return deployment((spec) => {
            spec.os = { name: osName };
            delete spec.securityContext.seccompProfile;
            for (const position of allPositions) {
                containerAt(spec, position).securityContext = {};
            }
        });
    }

    it("are exempt from seccomp, capabilities, privilege escalation and read-only root filesystem", () => {
        expect(policiesFailing(bareWindowsPod("windows"))).to.deep.equal([]);
    });

    it('an os.name other than exactly "windows" is not exempt', () => {
        expect(policiesFailing(bareWindowsPod("Windows"))).to.deep.equal([
            "drop-all-capabilities",
            "no-privilege-escalation",
            "read-only-root-filesystem",
            "seccomp-restricted",
        ]);
    });

    it("a Linux pod is not exempt", () => {
        expect(policiesFailing(bareWindowsPod("linux"))).to.have.length(4);
    });

    it("are not exempt from runAsNonRoot, runAsUser, privileged, hostProcess or host namespaces", () => {
        const object = deployment((spec) => {
            spec.os = { name: "windows" };
            spec.hostNetwork = true;
            spec.securityContext.runAsNonRoot = false;
            spec.securityContext.runAsUser = 0;
            spec.securityContext.windowsOptions = { hostProcess: true };
            spec.containers[0].securityContext.privileged = true;
        });
        expect(policiesFailing(object)).to.deep.equal([
            "no-host-namespaces",
            "no-host-ports",
            "no-host-process",
            "no-privileged-containers",
            "no-run-as-root-user",
            "run-as-non-root",
        ]);
    });
});

describe("host ports and namespaces", () => {
    it("an explicit hostPort: 0 passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].ports = [{ containerPort: 8080, hostPort: 0 }];
                }),
            ),
        ).to.deep.equal([]);
    });

    it("every non-zero host port of every container is reported", () => {
        const object = deployment((spec) => {
            spec.containers[0].ports = [{ containerPort: 80, hostPort: 80 }, { containerPort: 81 }, { containerPort: 443, hostPort: 443 }];
            spec.initContainers[0].ports = [{ containerPort: 9000, hostPort: 9000 }];
        });
        expect(findingKeys(object)).to.deep.equal(
            [
                `no-host-ports @ ${app}.ports[0].hostPort`,
                `no-host-ports @ ${app}.ports[2].hostPort`,
                `no-host-ports @ ${podSpec}.initContainers[0].ports[0].hostPort`,
            ].sort(),
        );
    });

    it("hostNetwork: false and the other namespaces false pass", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.hostNetwork = false;
                    spec.hostPID = false;
                    spec.hostIPC = false;
                }),
            ),
        ).to.deep.equal([]);
    });
});

describe("volumes", () => {
    for (const source of allowedVolumeSources) {
        it(`a ${source} volume passes`, () => {
            expect(
                findingKeys(
                    deployment((spec) => {
                        spec.volumes.push({ name: "v", [source]: {} });
                    }),
                ),
            ).to.deep.equal([]);
        });
    }

    for (const source of restrictedVolumeSources) {
        it(`a ${source} volume fails`, () => {
            expect(
                findingKeys(
                    deployment((spec) => {
                        spec.volumes.push({ name: "v", [source]: {} });
                    }),
                ),
            ).to.deep.equal([`restricted-volume-types @ ${podSpec}.volumes[2].${source}`]);
        });
    }

    it("a volume with no source passes: the API server defaults it to emptyDir", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.volumes.push({ name: "v" });
                }),
            ),
        ).to.deep.equal([]);
    });

    it("a source set to null is no source", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.volumes.push({ name: "v", hostPath: null, emptyDir: {} });
                }),
            ),
        ).to.deep.equal([]);
    });
});

describe("SELinux", () => {
    for (const type of ["container_t", "container_init_t", "container_kvm_t", "container_engine_t", ""]) {
        it(`type ${JSON.stringify(type)} passes at pod and container level`, () => {
            const object = deployment((spec) => {
                spec.securityContext.seLinuxOptions = { type, level: "s0:c123,c456" };
                spec.containers[0].securityContext.seLinuxOptions = { type };
            });
            expect(findingKeys(object)).to.deep.equal([]);
        });
    }

    for (const type of ["spc_t", "unconfined_t", "Container_t"]) {
        it(`type ${type} fails`, () => {
            expect(
                policiesFailing(
                    deployment((spec) => {
                        spec.initContainers[0].securityContext.seLinuxOptions = { type };
                    }),
                ),
            ).to.deep.equal(["restricted-selinux"]);
        });
    }

    it("an empty user and role pass; any non-empty one fails, one finding each", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.securityContext.seLinuxOptions = { user: "", role: "" };
                }),
            ),
        ).to.deep.equal([]);
        const object = deployment((spec) => {
            spec.securityContext.seLinuxOptions = { user: "system_u", role: "system_r", type: "spc_t" };
        });
        expect(findingsOf(object)).to.have.length(3);
    });
});

describe("AppArmor", () => {
    const key = "container.apparmor.security.beta.kubernetes.io/app";
    for (const value of ["runtime/default", "localhost/my-profile", ""]) {
        it(`annotation ${JSON.stringify(value)} passes`, () => {
            expect(
                findingKeys(
                    deployment((_spec, meta) => {
                        meta.annotations[key] = value;
                    }),
                ),
            ).to.deep.equal([]);
        });
    }

    for (const value of ["unconfined", "docker/default", "Localhost/x"]) {
        it(`annotation ${JSON.stringify(value)} fails`, () => {
            expect(
                policiesFailing(
                    deployment((_spec, meta) => {
                        meta.annotations[key] = value;
                    }),
                ),
            ).to.deep.equal(["no-unconfined-apparmor"]);
        });
    }

    it("an annotation for a container that does not exist still counts, as in the admission code", () => {
        const object = deployment((_spec, meta) => {
            meta.annotations["container.apparmor.security.beta.kubernetes.io/ghost"] = "unconfined";
        });
        expect(findingsOf(object).map((finding) => finding.subject)).to.deep.equal(['container "ghost"']);
    });

    it("the annotation on the Deployment's own metadata is not the pod's and is ignored", () => {
        const object = deployment(() => {});
        object.metadata.annotations = { [key]: "unconfined" };
        expect(findingKeys(object)).to.deep.equal([]);
    });

    for (const type of ["RuntimeDefault", "Localhost"]) {
        it(`appArmorProfile.type ${type} passes`, () => {
            expect(
                findingKeys(
                    deployment((spec) => {
                        spec.securityContext.appArmorProfile = { type, localhostProfile: "p" };
                    }),
                ),
            ).to.deep.equal([]);
        });
    }
});

describe("sysctls", () => {
    const safe = [
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_wmem",
    ];
    for (const name of safe) {
        it(`${name} passes`, () => {
            expect(
                findingKeys(
                    deployment((spec) => {
                        spec.securityContext.sysctls = [{ name, value: "1" }];
                    }),
                ),
            ).to.deep.equal([]);
        });
    }

    // Added to the admission code's safe set only for v1.37, not yet released.
    for (const name of ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat", "kernel.msgmax", "net.core.somaxconn"]) {
        it(`${name} fails`, () => {
            expect(
                findingKeys(
                    deployment((spec) => {
                        spec.securityContext.sysctls = [
                            { name: "kernel.shm_rmid_forced", value: "1" },
                            { name, value: "1" },
                        ];
                    }),
                ),
            ).to.deep.equal([`safe-sysctls @ ${podSpec}.securityContext.sysctls[1].name`]);
        });
    }

    it("sysctls inside a container's securityContext are not a field and change nothing", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }];
                }),
            ),
        ).to.deep.equal([]);
    });
});

describe("privileged, procMount and hostProcess", () => {
    it("privileged: false passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].securityContext.privileged = false;
                }),
            ),
        ).to.deep.equal([]);
    });

    it("privileged at pod level is not a field and changes nothing", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.securityContext.privileged = true;
                }),
            ),
        ).to.deep.equal([]);
    });

    it("procMount: Default passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].securityContext.procMount = "Default";
                }),
            ),
        ).to.deep.equal([]);
    });

    it("hostProcess: false at both levels passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.securityContext.windowsOptions = { hostProcess: false };
                    spec.containers[0].securityContext.windowsOptions = { hostProcess: false };
                }),
            ),
        ).to.deep.equal([]);
    });
});

describe("probe and lifecycle hosts", () => {
    for (const [field, handler] of [
        ["livenessProbe", { httpGet: { path: "/", port: 80, host: "example.com" } }],
        ["readinessProbe", { tcpSocket: { port: 80, host: "10.0.0.1" } }],
        ["startupProbe", { httpGet: { path: "/", port: 80, host: "127.0.0.1" } }],
        ["lifecycle.postStart", { tcpSocket: { port: 80, host: "db" } }],
    ] as const) {
        it(`${field} with a host fails`, () => {
            const object = deployment((spec) => {
                const container = spec.containers[0];
                if (field.startsWith("lifecycle.")) {
                    container.lifecycle = { postStart: handler };
                } else {
                    container[field] = handler;
                }
            });
            const kind = "httpGet" in handler ? "httpGet" : "tcpSocket";
            expect(findingKeys(object)).to.deep.equal([`no-probe-or-lifecycle-host @ ${app}.${field}.${kind}.host`]);
        });
    }

    it("an empty host passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].livenessProbe = { httpGet: { path: "/", port: 80, host: "" } };
                }),
            ),
        ).to.deep.equal([]);
    });
});

describe("every kind reads its own pod template metadata for annotations", () => {
    for (const kind of allKinds) {
        it(`${kind}: the AppArmor annotation is read at ${kindLayout[kind].podMetadataPath}`, () => {
            const object = workloadWith(kind, (_spec, meta) => {
                meta.annotations["container.apparmor.security.beta.kubernetes.io/app"] = "unconfined";
            });
            expect(findingsOf(object).map((finding) => finding.field)).to.deep.equal([
                `${kindLayout[kind].podMetadataPath}.annotations["container.apparmor.security.beta.kubernetes.io/app"]`,
            ]);
        });
    }
});
