import { expect } from "chai";
import {
    buildContainer,
    buildPodSpec,
    buildPodTemplate,
    ContainerArgs,
    imageReference,
    objectLabels,
    podLabels,
    selectorLabels,
    TMP_DIR,
} from "../../components/pod";

const runAs = { user: 1001, group: 1002 };
const resources = { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } };
const app: ContainerArgs = { name: "app", image: "example/app:1", resources };
const init: ContainerArgs = { name: "migrate", image: "example/app:1", resources };

/** Plain view of a built object (the builders return Pulumi input types). */
const plain = <T>(value: T): any => JSON.parse(JSON.stringify(value));

describe("hardened workload builders", () => {
    describe("every container, init containers included", () => {
        const spec = plain(buildPodSpec({ runAs, containers: [app], initContainers: [init] }));
        const all = [...spec.initContainers, ...spec.containers];

        it("builds both positions", () => {
            expect(all.map((c: any) => c.name)).to.deep.equal(["migrate", "app"]);
        });

        for (const [field, expected] of [
            ["runAsNonRoot", true],
            ["runAsUser", 1001],
            ["runAsGroup", 1002],
            ["readOnlyRootFilesystem", true],
            ["allowPrivilegeEscalation", false],
            ["privileged", false],
            ["capabilities", { drop: ["ALL"] }],
            ["seccompProfile", { type: "RuntimeDefault" }],
        ] as const) {
            it(`sets securityContext.${field}`, () => {
                for (const container of all) expect(container.securityContext[field], container.name).to.deep.equal(expected);
            });
        }
    });

    describe("pod level", () => {
        it("sets runAsNonRoot, the UID/GID, fsGroup and seccomp", () => {
            const spec = plain(buildPodSpec({ runAs: { ...runAs, fsGroup: 2000 }, containers: [app] }));
            expect(spec.securityContext).to.deep.equal({
                runAsNonRoot: true,
                runAsUser: 1001,
                runAsGroup: 1002,
                fsGroup: 2000,
                seccompProfile: { type: "RuntimeDefault" },
            });
        });
        it("defaults fsGroup to the group", () => {
            expect(plain(buildPodSpec({ runAs, containers: [app] })).securityContext.fsGroup).to.equal(1002);
        });
        it("does not mount the ServiceAccount token unless asked", () => {
            expect(plain(buildPodSpec({ runAs, containers: [app] })).automountServiceAccountToken).to.equal(false);
            expect(plain(buildPodSpec({ runAs, containers: [app], automountServiceAccountToken: true })).automountServiceAccountToken).to.equal(true);
        });
        for (const bad of [0, -1, 1.5]) {
            it(`refuses UID ${bad}`, () => {
                expect(() => buildPodSpec({ runAs: { user: bad, group: 1 }, containers: [app] })).to.throw(/runAs.user must be a positive integer/);
            });
        }
        it("refuses GID 0 and fsGroup 0", () => {
            expect(() => buildContainer(app, { user: 1, group: 0 })).to.throw(/runAs.group/);
            expect(() => buildContainer(app, { user: 1, group: 1, fsGroup: 0 })).to.throw(/runAs.fsGroup/);
        });
        it("refuses two containers with one name", () => {
            expect(() => buildPodSpec({ runAs, containers: [app], initContainers: [{ ...init, name: "app" }] })).to.throw(/container name 'app'/);
        });
    });

    describe("writable directories", () => {
        it("gives no volume and no mount when none is asked for", () => {
            const spec = plain(buildPodSpec({ runAs, containers: [app] }));
            expect(spec).not.to.have.property("volumes");
            expect(spec.containers[0]).not.to.have.property("volumeMounts");
        });
        it("mounts an emptyDir only into the container that asked", () => {
            const spec = plain(buildPodSpec({ runAs, containers: [{ ...app, writableDirs: [TMP_DIR] }], initContainers: [init] }));
            expect(spec.volumes).to.deep.equal([{ name: "tmp", emptyDir: {} }]);
            expect(spec.containers[0].volumeMounts).to.deep.equal([{ name: "tmp", mountPath: "/tmp" }]);
            expect(spec.initContainers[0]).not.to.have.property("volumeMounts");
        });
        it("shares one volume between containers that ask for the same dir", () => {
            const spec = plain(
                buildPodSpec({ runAs, containers: [{ ...app, writableDirs: [TMP_DIR] }], initContainers: [{ ...init, writableDirs: [TMP_DIR] }] }),
            );
            expect(spec.volumes).to.have.length(1);
        });
        it("keeps a size limit", () => {
            const spec = plain(buildPodSpec({ runAs, containers: [{ ...app, writableDirs: [{ name: "cache", mountPath: "/cache", sizeLimit: "1Gi" }] }] }));
            expect(spec.volumes).to.deep.equal([{ name: "cache", emptyDir: { sizeLimit: "1Gi" } }]);
        });
        it("refuses a user volume that clashes with a writable dir", () => {
            expect(() =>
                buildPodSpec({ runAs, containers: [{ ...app, writableDirs: [TMP_DIR] }], volumes: [{ name: "tmp", configMap: { name: "x" } }] }),
            ).to.throw(/volume name 'tmp'/);
        });
    });

    describe("labels", () => {
        const id = { name: "fractal-agents-runtime", instance: "agent-runtime", component: "runtime", version: "1.2.3" };
        it("selects on name and instance only", () => {
            expect(selectorLabels(id)).to.deep.equal({ "app.kubernetes.io/name": "fractal-agents-runtime", "app.kubernetes.io/instance": "agent-runtime" });
        });
        it("keeps the version off pods so an upgrade of labels alone never restarts them", () => {
            expect(podLabels(id)).not.to.have.property("app.kubernetes.io/version");
            expect(podLabels(id)["app.kubernetes.io/component"]).to.equal("runtime");
        });
        it("puts version, part-of and managed-by on objects", () => {
            expect(objectLabels(id)).to.include({
                "app.kubernetes.io/version": "1.2.3",
                "app.kubernetes.io/part-of": "agent-platform",
                "app.kubernetes.io/managed-by": "pulumi",
            });
        });
        it("builds a pod template with the labels and without empty annotations", () => {
            const template = plain(buildPodTemplate({ labels: podLabels(id), annotations: {}, spec: buildPodSpec({ runAs, containers: [app] }) }));
            expect(template.metadata).to.deep.equal({ labels: podLabels(id) });
        });
    });

    describe("image references", () => {
        it("joins repository, tag and digest", () => {
            expect(imageReference({ repository: "mysql", tag: "9", digest: `sha256:${"a".repeat(64)}` })).to.equal(`mysql:9@sha256:${"a".repeat(64)}`);
        });
        it("replaces the registry host of a repository with the override", () => {
            expect(imageReference({ registry: "acr.example.io", repository: "ghcr.io/org/app", tag: "1" })).to.equal("acr.example.io/org/app:1");
        });
        it("prefixes a repository without a registry host", () => {
            expect(imageReference({ registry: "acr.example.io/mirror/", repository: "library/mysql", tag: "9" })).to.equal(
                "acr.example.io/mirror/library/mysql:9",
            );
        });
    });
});
