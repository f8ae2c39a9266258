import { expect } from "chai";
import { schedulingFindings } from "../../../tools/readiness/scheduling";
import { aksAllocatable } from "../../../tools/readiness/vm-sizes";
import { container, deployment, facts } from "./fixtures";

const pools = [
    { name: "system", vmSize: "Standard_D4ds_v5", taints: ["CriticalAddonsOnly=true:NoSchedule"] },
    { name: "user", vmSize: "Standard_D2ds_v5", taints: [] },
];
const requesting = (cpu: string, memory: string, spec: Record<string, unknown> = {}) =>
    deployment("big", "apps", { ...spec, containers: [container("app", { resources: { requests: { cpu, memory } } })] });

describe("readiness rule scheduling", () => {
    it("computes AKS allocatable from the VM size and AKS's reservations", () => {
        const d4 = aksAllocatable("Standard_D4ds_v5")!;
        expect(d4.cpu).to.be.closeTo(3.86, 1e-9); // 4 cores - 140m
        // 16 GiB - min(20 MB x 250 + 50 MB, 25%) - 100 Mi
        expect(d4.memory).to.equal(16 * 2 ** 30 - 4 * 2 ** 30 - 100 * 2 ** 20);
        expect(aksAllocatable("Standard_Unknown")).to.equal(undefined);
    });

    it("reports pods that fit no node of a pool they may run on", () => {
        const findings = schedulingFindings([requesting("3", "1Gi")], facts({ nodePools: pools }));
        expect(findings).to.have.length(1);
        expect(findings[0]!.message).to.contain("request 3.00 CPU").and.contain("user (Standard_D2ds_v5)");
        expect(schedulingFindings([requesting("1", "4Gi")], facts({ nodePools: pools }))).to.deep.equal([]);
    });

    it("lets pods that tolerate the system pool's taint use its larger nodes", () => {
        const tolerating = requesting("3", "1Gi", { tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] });
        expect(schedulingFindings([tolerating], facts({ nodePools: pools }))).to.deep.equal([]);
    });

    it("counts the largest init container against the sum of the app containers", () => {
        const spec = {
            initContainers: [container("init", { resources: { requests: { cpu: "100m", memory: "7Gi" } } })],
            containers: [container("app", { resources: { requests: { cpu: "100m", memory: "1Gi" } } })],
        };
        expect(schedulingFindings([deployment("x", "apps", spec)], facts({ nodePools: pools }))).to.have.length(1);
    });

    it("says nothing for clusters whose node sizes are unknown", () => {
        expect(schedulingFindings([requesting("64", "1Ti")], facts())).to.deep.equal([]);
    });
});
