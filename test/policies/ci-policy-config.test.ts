/**
 * CI's policy config (policies/config/all-mandatory.json, passed to `pulumi preview
 * --policy-pack-config` and to policy:check) against the add-ons the stack can install: every
 * add-on namespace is exempt, each for the hygiene its chart owns and never for Pod Security;
 * no other namespace is; the add-on values do what the chart allows; and what the offline render
 * says about the charts it did not check (on the real stacks: test/tools/render/render.integration.test.ts).
 */
import { expect } from "chai";
import * as path from "node:path";
import { certManagerValues, externalSecretsValues } from "../../components/addons/values";
import { enabledAddonCharts } from "../../components/addons";
import { addonsBlock } from "../../components/addons/schema";
import { policyCatalog } from "../../policies/catalog";
import { exemptionsOf, loadPolicyConfigFile, policyNames } from "../../policies/evaluate";
import { CI_POLICY_CONFIG, uncheckedReport, unexpandedCharts } from "../../tools/policy-check/unexpanded";

const ROOT = path.resolve(__dirname, "../..");
const ci = loadPolicyConfigFile(path.join(ROOT, CI_POLICY_CONFIG));
const exemptions = exemptionsOf(ci);

/** Every add-on of the `addons` block switched on: the charts (and namespaces) the stack can install. */
function everyAddon() {
    const all = Object.fromEntries(Object.keys(addonsBlock.shape).map((addon) => [addon, { enabled: true }]));
    return enabledAddonCharts(addonsBlock.parse(all));
}

/** The policies that are advisory by default: workload hygiene, not Pod Security. */
const hygienePolicies = policyCatalog.filter((policy) => policy.defaultLevel === "advisory").map((policy) => policy.name);

describe("CI's policy config", () => {
    it("keeps every policy mandatory", () => {
        for (const name of policyNames) expect(ci[name], name).to.equal("mandatory");
    });

    it("exempts exactly the namespaces of the add-ons components/addons/ can install, one entry each", () => {
        const addonNamespaces = everyAddon().map((chart) => chart.namespace);
        expect(addonNamespaces).to.include.members(["cert-manager", "external-secrets", "monitoring", "traefik"]);
        expect(exemptions.map((exemption) => exemption.namespace).sort()).to.deep.equal([...new Set(addonNamespaces)].sort());
        expect(exemptions).to.have.length(addonNamespaces.length);
    });

    it("lifts only the hygiene policies the charts own, never a Pod Security one (the namespaces are labelled restricted)", () => {
        expect(hygienePolicies).to.have.length(5);
        for (const exemption of exemptions) {
            expect(exemption.policies, exemption.namespace).to.deep.equal(hygienePolicies);
        }
        for (const chart of everyAddon()) {
            expect(chart.podSecurity, chart.namespace).to.equal("restricted");
        }
    });

    it("says for each namespace why, naming its add-on", () => {
        const addonOf = new Map(everyAddon().map((chart) => [chart.namespace, chart.addon]));
        for (const exemption of exemptions) {
            expect(exemption.reason, exemption.namespace).to.contain(`addons.${addonOf.get(exemption.namespace)}`);
        }
    });
});

describe("add-on chart values (components/addons/values.ts)", () => {
    const resourcesOk = (values: any, where: string) => {
        expect(values.resources?.requests?.cpu, where).to.be.a("string");
        expect(values.resources?.requests?.memory, where).to.be.a("string");
        expect(values.resources?.limits?.memory, where).to.be.a("string");
    };

    it("cert-manager: resources and an explicit token mount for the controller, webhook, cainjector and startupapicheck; hardening restated", () => {
        const values = certManagerValues(false) as any;
        for (const [where, component] of [
            ["controller", values],
            ["webhook", values.webhook],
            ["cainjector", values.cainjector],
            ["startupapicheck", values.startupapicheck],
        ]) {
            resourcesOk(component, where);
            expect(component.automountServiceAccountToken, where).to.equal(true);
            expect(component.securityContext, where).to.deep.equal({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(component.containerSecurityContext, where).to.deep.equal({
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                readOnlyRootFilesystem: true,
            });
        }
        expect(values.livenessProbe).to.deep.equal({ enabled: true });
        expect(values.crds).to.deep.equal({ enabled: true });
        expect(values).to.not.have.property("config");
        expect((certManagerValues(true) as any).config.enableGatewayAPI).to.equal(true);
    });

    it("external-secrets: resources, a pod security context the chart renders (a key besides enabled) and explicit token mounts for all three workloads", () => {
        const values = externalSecretsValues() as any;
        for (const [where, component] of [
            ["controller", values],
            ["webhook", values.webhook],
            ["certController", values.certController],
        ]) {
            resourcesOk(component, where);
            expect(component.serviceAccount, where).to.deep.equal({ automount: true });
            expect(component.podSecurityContext, where).to.deep.equal({ enabled: true, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        }
        expect(values.installCRDs).to.equal(true);
    });

    it("are what the stack passes to the charts", () => {
        const charts = new Map(everyAddon().map((chart) => [chart.chart, chart.values]));
        expect(charts.get("cert-manager")).to.deep.equal(certManagerValues(true));
        expect(charts.get("external-secrets")).to.deep.equal(externalSecretsValues());
    });
});

describe("the render's note on what it did not check", () => {
    const charts = unexpandedCharts([
        { type: "kubernetes:helm.sh/v4:Chart", name: "addons-cert-manager", inputs: { chart: "cert-manager", version: "v1.17.2", namespace: "cert-manager" } },
        { type: "kubernetes:helm.sh/v4:Chart", name: "other", inputs: { chart: "example", namespace: "example-system" } },
        { type: "kubernetes:core/v1:Namespace", name: "addons-cert-manager" },
    ]);

    it("lists each unexpanded chart with its namespace and CI's exemptions there", () => {
        expect(uncheckedReport(charts, [], ci, CI_POLICY_CONFIG).split("\n")).to.deep.equal([
            `Not policy-checked offline: 2 Helm charts the render does not expand; \`pulumi preview\` checks their workloads with ${CI_POLICY_CONFIG}:`,
            `  cert-manager v1.17.2 (addons-cert-manager), namespace cert-manager: exempt from 5 policies: ${hygienePolicies.join(", ")}`,
            "  example (other), namespace example-system: no exemption: every policy applies",
        ]);
    });

    it("warns when CI's config would exempt a rendered workload, and says nothing when there is nothing to say", () => {
        const deployment = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "api", namespace: "traefik" },
            spec: { template: { spec: { containers: [{ name: "api", image: "api:1" }] } } },
        };
        const report = uncheckedReport([], [deployment], ci, CI_POLICY_CONFIG);
        expect(report).to.match(
            /^Warning: policies\/config\/all-mandatory\.json exempts \d+ findings in rendered workloads; `pulumi preview` will not report them:\n {2}namespace "traefik" \(resource-requests-and-limits, .*\): Traefik's own chart .*; applies to Deployment\/api$/,
        );
        expect(uncheckedReport([], [], ci, CI_POLICY_CONFIG)).to.equal("");
    });
});
