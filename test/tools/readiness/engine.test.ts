import { expect } from "chai";
import { engineFindings } from "../../../tools/readiness/engine";
import { recording, resource } from "./fixtures";

const AZURE_PROVIDER = "urn:pulumi:prod::p::pulumi:providers:azure-native::azure::id-1";
const K8S_PROVIDER = "urn:pulumi:prod::p::pulumi:providers:kubernetes::k8s::id-2";
const rg = "urn:pulumi:prod::p::azure-native:resources:ResourceGroup::rg";

describe("readiness rule engine", () => {
    it("refuses a resource of a disabled package without an explicit provider, in the engine's words", () => {
        const findings = engineFindings(recording([resource(rg, "azure-native:resources:ResourceGroup")]), ["kubernetes", "azure-native"]);
        expect(findings).to.have.length(1);
        expect(findings[0]!.severity).to.equal("error");
        expect(findings[0]!.object).to.equal(rg);
        expect(findings[0]!.message).to.contain(`Default provider for 'azure-native' disabled. '${rg}' must use an explicit provider.`);
    });

    it("accepts the same resource with its package's provider, and any package whose default provider is enabled", () => {
        const withProvider = resource(rg, "azure-native:resources:ResourceGroup", { provider: AZURE_PROVIDER });
        const random = resource("urn:pulumi:prod::p::random:index/randomPassword:RandomPassword::pw", "random:index/randomPassword:RandomPassword");
        expect(engineFindings(recording([withProvider, random]), ["azure-native"])).to.deep.equal([]);
    });

    it("refuses a provider of another package", () => {
        const findings = engineFindings(recording([resource(rg, "azure-native:resources:ResourceGroup", { provider: K8S_PROVIDER })]), []);
        expect(findings.map((f) => f.message)).to.deep.equal([
            "its provider is a 'kubernetes' provider, which cannot manage 'azure-native:resources:ResourceGroup'; pass a 'azure-native' provider instead.",
        ]);
    });

    it("refuses an invoke of a disabled package without a provider, and accepts one with", () => {
        const token = "azure-native:containerservice:listManagedClusterUserCredentials";
        const findings = engineFindings(recording([], [{ token }, { token, provider: AZURE_PROVIDER }]), ["azure-native"]);
        expect(findings.map((f) => f.message)).to.deep.equal([
            `Default provider for 'azure-native' disabled. '${token}' must use an explicit provider. Pass \`{ provider }\` (or a \`parent\` that has one) to the invoke.`,
        ]);
    });

    it("refuses a remote component (a Helm v4 Chart) without a provider of its package", () => {
        const chart = "urn:pulumi:prod::p::kubernetes:helm.sh/v4:Chart::cert-manager";
        const without = resource(chart, "kubernetes:helm.sh/v4:Chart", { custom: false, remote: true });
        const withProviders = resource(chart, "kubernetes:helm.sh/v4:Chart", { custom: false, remote: true, providers: { kubernetes: K8S_PROVIDER } });
        expect(engineFindings(recording([without]), ["kubernetes"]).map((f) => f.message)).to.deep.equal([
            "Default provider for 'kubernetes' disabled. 'kubernetes:helm.sh/v4:Chart' must use an explicit provider. Pass the stack's kubernetes provider in the component's `providers`.",
        ]);
        expect(engineFindings(recording([withProviders]), ["kubernetes"])).to.deep.equal([]);
    });

    it("leaves local components alone: only custom resources and remote components reach a provider", () => {
        const component = resource("urn:pulumi:prod::p::agent-platform:aks:AksCluster::cluster", "agent-platform:aks:AksCluster", { custom: false });
        expect(engineFindings(recording([component]), ["agent-platform", "azure-native"])).to.deep.equal([]);
    });
});
