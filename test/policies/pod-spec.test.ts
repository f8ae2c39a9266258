/** The one pod-spec extractor: where each kind keeps its pod, and what is not a workload. */
import { expect } from "chai";
import { extractWorkload, workloadKindOf, workloadKinds } from "../../policies/rules/pod-spec";
import { allKinds, allPositions, containerNameAt, kindLayout, workloadWith } from "./support/fixtures";

describe("pod-spec extractor", () => {
    it("knows exactly the nine workload kinds of the issue", () => {
        expect([...workloadKinds].sort()).to.deep.equal([...allKinds].sort());
    });

    for (const kind of allKinds) {
        it(`${kind}: finds the pod spec at ${kindLayout[kind].podSpecPath} and every container position`, () => {
            const workload = extractWorkload(workloadWith(kind))!;
            expect(workload.kind).to.equal(kind);
            expect(workload.name).to.equal("demo");
            expect(workload.namespace).to.equal("team-a");
            expect(workload.podSpecPath).to.equal(kindLayout[kind].podSpecPath);
            expect(workload.podMetadataPath).to.equal(kindLayout[kind].podMetadataPath);
            expect(workload.podSecurityContext).to.include({ runAsNonRoot: true });
            expect(workload.containers.map((container) => [container.position, container.name, container.path])).to.deep.equal(
                allPositions.map((position) => [position, containerNameAt[position], `${kindLayout[kind].podSpecPath}.${position}[0]`]),
            );
        });
    }

    it("reads apps kinds from extensions/v1beta1 and apps/v1beta2 too", () => {
        expect(workloadKindOf("extensions/v1beta1", "Deployment")).to.equal("Deployment");
        expect(workloadKindOf("apps/v1beta2", "StatefulSet")).to.equal("StatefulSet");
        expect(workloadKindOf("batch/v1beta1", "CronJob")).to.equal("CronJob");
    });

    it("ignores look-alike kinds of other API groups", () => {
        expect(workloadKindOf("batch.volcano.sh/v1alpha1", "Job")).to.equal(undefined);
        expect(workloadKindOf("apps.openshift.io/v1", "Deployment")).to.equal(undefined);
        expect(workloadKindOf("apps/v1", "Pod")).to.equal(undefined);
    });

    it("uses the kind alone when an object has no apiVersion", () => {
        expect(workloadKindOf(undefined, "Job")).to.equal("Job");
    });

    for (const kind of ["Service", "ConfigMap", "Secret", "Namespace", "DeploymentList", "PodDisruptionBudget", "HorizontalPodAutoscaler"]) {
        it(`${kind} is not a workload`, () => {
            expect(
                extractWorkload({ apiVersion: "v1", kind, metadata: { name: "x" }, spec: { template: { spec: { containers: [{ name: "c" }] } } } }),
            ).to.equal(undefined);
        });
    }

    it("a workload without a pod spec is an empty pod, not a crash", () => {
        const workload = extractWorkload({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" } })!;
        expect(workload.containers).to.deep.equal([]);
        expect(workload.podSpec).to.deep.equal({});
    });

    it("names unnamed containers by index and skips entries that are not objects", () => {
        const workload = extractWorkload({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ image: "x:1" }, "junk", null] } })!;
        expect(workload.containers.map((container) => container.name)).to.deep.equal(["#0"]);
    });

    it("falls back to generateName, then to (unnamed)", () => {
        expect(extractWorkload({ apiVersion: "v1", kind: "Pod", metadata: { generateName: "job-" }, spec: {} })!.name).to.equal("job-");
        expect(extractWorkload({ apiVersion: "v1", kind: "Pod", spec: {} })!.name).to.equal("(unnamed)");
    });

    it("marks Jobs and CronJobs as run-to-completion, and bare Pods by restartPolicy", () => {
        expect(extractWorkload(workloadWith("Job"))!.isLongRunning).to.equal(false);
        expect(extractWorkload(workloadWith("CronJob"))!.isLongRunning).to.equal(false);
        expect(extractWorkload(workloadWith("Deployment"))!.isLongRunning).to.equal(true);
        expect(extractWorkload(workloadWith("Pod"))!.isLongRunning).to.equal(true);
        expect(
            extractWorkload(
                workloadWith("Pod", (spec) => {
                    spec.restartPolicy = "Never";
                }),
            )!.isLongRunning,
        ).to.equal(false);
    });
});
