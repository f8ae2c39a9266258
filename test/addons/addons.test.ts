/**
 * ClusterAddons under mocks: nothing by default; each enabled add-on a pinned chart in its own
 * restricted namespace.
 */
import { expect } from "chai";
import { ClusterAddons, enabledAddonCharts } from "../../components/addons";
import { recordComponents } from "../helpers/record";
import { testConfig } from "../helpers/stack-config";

const stackConfig = (blocks: Record<string, unknown>) => testConfig(blocks);
describe("ClusterAddons", () => {
    it("installs nothing by default", () => {
        expect(enabledAddonCharts(stackConfig({ cluster: { kubeconfigPath: "/k" } }).addons)).to.deep.equal([]);
    });

    it("installs each enabled add-on as a pinned chart in its own restricted namespace", async () => {
        const config = stackConfig({
            cluster: { kubeconfigPath: "/k" },
            addons: { certManager: { enabled: true }, externalSecrets: { enabled: true, version: "0.18.0" } },
        });
        const r = await recordComponents((provider) => new ClusterAddons("addons", { config: config.addons }, { providers: [provider] }));
        const charts = r.recording.resources
            .filter((x) => x.type === "kubernetes:helm.sh/v4:Chart")
            .map((x) => x.inputs as any)
            .sort((a, b) => a.chart.localeCompare(b.chart));
        expect(charts.map((c) => [c.chart, c.version, c.namespace])).to.deep.equal([
            ["cert-manager", "v1.17.2", "cert-manager"],
            ["external-secrets", "0.18.0", "external-secrets"],
        ]);
        expect(charts[0].values.crds).to.deep.equal({ enabled: true });
        expect(r.object("Namespace", "external-secrets").metadata.labels!["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    });
});
