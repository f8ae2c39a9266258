import { expect } from "chai";
import type { InstalledChart } from "../../../tools/readiness/charts";
import { crdFindings } from "../../../tools/readiness/crds";
import { facts, object, recording, resource } from "./fixtures";

const monitor = object("monitoring.coreos.com/v1", "ServiceMonitor", "web", "apps");
const MONITOR_URN = "urn:pulumi:s::p::kubernetes:monitoring.coreos.com/v1:ServiceMonitor::web";
const CHART_URN = "urn:pulumi:s::p::kubernetes:helm.sh/v4:Chart::prometheus-operator-crds";
const chart: InstalledChart = {
    chart: "prometheus-operator-crds",
    urn: CHART_URN,
    crdGroups: ["monitoring.coreos.com"],
    ingressClasses: [],
    gatewayClasses: [],
};

describe("readiness rule crds", () => {
    it("reports a custom resource whose CRD nothing brings", () => {
        const findings = crdFindings([{ object: monitor, urn: MONITOR_URN }], recording([resource(MONITOR_URN, "x")]), [], facts());
        expect(findings.map((f) => f.message)).to.deep.equal([
            'no CRD for monitoring.coreos.com/v1 ServiceMonitor: the stack neither renders it nor installs a chart that brings it, and `preinstalled.crdGroups` does not list monitoring.coreos.com; the API server answers "no matches for kind". Enable the add-on that provides it, or declare the group.',
        ]);
    });

    it("accepts a chart's CRD only when the object depends on the chart", () => {
        const independent = crdFindings([{ object: monitor, urn: MONITOR_URN }], recording([resource(MONITOR_URN, "x")]), [chart], facts());
        expect(independent.map((f) => f.message)[0]).to.contain("does not depend on the prometheus-operator-crds install");
        const viaOther = "urn:other";
        const dependent = crdFindings(
            [{ object: monitor, urn: MONITOR_URN }],
            recording([resource(MONITOR_URN, "x", { dependsOn: [viaOther] }), resource(viaOther, "y", { dependsOn: [CHART_URN] })]),
            [chart],
            facts(),
        );
        expect(dependent).to.deep.equal([]);
    });

    it("accepts a declared group on a kubeconfig cluster, never on one the stack creates, and Cilium's on AKS", () => {
        const declared = facts();
        declared.declared.crdGroups.push("monitoring.coreos.com");
        const rec = recording([resource(MONITOR_URN, "x")]);
        expect(crdFindings([{ object: monitor, urn: MONITOR_URN }], rec, [], declared)).to.deep.equal([]);
        const aks = facts({ clusterCreatedByStack: true });
        aks.declared.crdGroups.push("monitoring.coreos.com");
        expect(crdFindings([{ object: monitor, urn: MONITOR_URN }], rec, [], aks)).to.have.length(1);
        const cnp = object("cilium.io/v2", "CiliumNetworkPolicy", "api", "apps");
        expect(crdFindings([{ object: cnp, urn: "urn:cnp" }], recording([resource("urn:cnp", "x")]), [], aks)).to.deep.equal([]);
        expect(crdFindings([{ object: cnp, urn: "urn:cnp" }], recording([resource("urn:cnp", "x")]), [], facts())).to.have.length(1);
        expect(crdFindings([{ object: cnp, urn: "urn:cnp" }], recording([resource("urn:cnp", "x")]), [], facts({ cni: "cilium" }))).to.deep.equal([]);
    });

    it("accepts a CRD the stack renders when the object depends on it", () => {
        const crd = object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "agents.labrats.work", undefined, {
            spec: { group: "labrats.work", names: { kind: "Agent" } },
        });
        const agent = object("labrats.work/v1", "Agent", "a", "apps");
        const rec = (deps: string[]) => recording([resource("urn:crd", "c"), resource("urn:agent", "a", { dependsOn: deps })]);
        const rendered = [
            { object: crd, urn: "urn:crd" },
            { object: agent, urn: "urn:agent" },
        ];
        expect(crdFindings(rendered, rec(["urn:crd"]), [], facts())).to.deep.equal([]);
        expect(crdFindings(rendered, rec([]), [], facts())).to.have.length(1);
    });
});
