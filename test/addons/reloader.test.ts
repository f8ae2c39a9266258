/**
 * Stakater Reloader as an add-on: its chart values against the policy pack on the pod the chart
 * renders from them (tier 1), the reload annotation, and the add-on under mocks (tier 2):
 * scoped to the platform namespace, installed after it.
 */
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { ClusterAddons, enabledAddonCharts } from "../../components/addons";
import { buildReloaderValues, RELOADER_CHART_VERSION, RELOADER_REPO } from "../../components/addons/reloader";
import { RELOADER_SECRET_ANNOTATION, reloaderAnnotations, withReloaderAnnotation } from "../../components/secrets";
import { checkObject, parsePolicyConfig } from "../../policies/evaluate";
import { recordComponents } from "../helpers/record";
import { testConfig } from "../helpers/stack-config";

/**
 * The Deployment stakater/reloader 2.2.16 renders from `values` (templates/deployment.yaml):
 * pod securityContext <- reloader.deployment.securityContext; container securityContext <-
 * containerSecurityContext, plus readOnlyRootFilesystem with `readOnlyRootFileSystem`, which also
 * mounts an emptyDir at /tmp; resources <- deployment.resources; liveness httpGet /live and
 * readiness httpGet /metrics on port `http` (9090), always; automountServiceAccountToken when set.
 * Only the fields the policies read.
 */
function reloaderDeployment(values: any): unknown {
    const r = values.reloader;
    const readOnly = r.readOnlyRootFileSystem === true;
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "reloader-reloader", namespace: "reloader" },
        spec: {
            template: {
                metadata: { labels: { app: "reloader-reloader" } },
                spec: {
                    serviceAccountName: "reloader-reloader",
                    ...("automountServiceAccountToken" in r.deployment ? { automountServiceAccountToken: r.deployment.automountServiceAccountToken } : {}),
                    ...(r.deployment.securityContext ? { securityContext: r.deployment.securityContext } : {}),
                    ...(readOnly ? { volumes: [{ name: "tmp-volume", emptyDir: {} }] } : {}),
                    containers: [
                        {
                            name: "reloader-reloader",
                            image: "ghcr.io/stakater/reloader:v1.4.21",
                            ports: [{ name: "http", containerPort: 9090 }],
                            livenessProbe: { httpGet: { path: "/live", port: "http" } },
                            readinessProbe: { httpGet: { path: "/metrics", port: "http" } },
                            securityContext: { ...(r.deployment.containerSecurityContext ?? {}), ...(readOnly ? { readOnlyRootFilesystem: true } : {}) },
                            ...(r.deployment.resources ? { resources: r.deployment.resources } : {}),
                            ...(readOnly ? { volumeMounts: [{ mountPath: "/tmp/", name: "tmp-volume" }] } : {}),
                        },
                    ],
                },
            },
        },
    };
}

describe("Reloader's own workload against the policy pack", () => {
    const allMandatory = parsePolicyConfig({ all: "mandatory" });

    it("passes every policy, advisory ones included, with the values the add-on passes", () => {
        expect(checkObject(reloaderDeployment(buildReloaderValues(["agents"])), allMandatory)).to.deep.equal([]);
    });

    it("would fail with the chart's defaults (the check can fail)", () => {
        const defaults = {
            reloader: {
                readOnlyRootFileSystem: false,
                deployment: {
                    securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
                    containerSecurityContext: {},
                },
            },
        };
        const policies = checkObject(reloaderDeployment(defaults), allMandatory).map((v) => v.policy);
        expect(policies).to.include.members([
            "read-only-root-filesystem",
            "drop-all-capabilities",
            "no-privilege-escalation",
            "resource-requests-and-limits",
            "no-service-account-token-automount",
        ]);
    });

    it("watches the platform namespace only, rolls by annotation, leaves ConfigMaps alone", () => {
        expect((buildReloaderValues(["agents"]) as any).reloader).to.deep.include({
            watchGlobally: false,
            namespaces: ["agents"],
            ignoreConfigMaps: true,
            reloadStrategy: "annotations",
        });
    });
});

describe("the reload annotation", () => {
    it("names the Secrets that change in place, once each and sorted; nothing when there are none", () => {
        expect(reloaderAnnotations(["b-secrets", "a-secrets", "b-secrets"])).to.deep.equal({ [RELOADER_SECRET_ANNOTATION]: "a-secrets,b-secrets" });
        expect(RELOADER_SECRET_ANNOTATION).to.equal("secret.reloader.stakater.com/reload");
        const metadata = { name: "x", annotations: { keep: "me" } };
        expect(withReloaderAnnotation(metadata, ["s"])).to.deep.equal({ name: "x", annotations: { keep: "me", [RELOADER_SECRET_ANNOTATION]: "s" } });
        expect(withReloaderAnnotation({ name: "x" }, [])).to.deep.equal({ name: "x" });
    });
});

describe("Reloader as an add-on", () => {
    it("is off by default; on, it is the pinned chart from Stakater's repository in its own restricted namespace", () => {
        expect(enabledAddonCharts(testConfig().addons).map((c) => c.addon)).not.to.include("reloader");
        const config = testConfig({ addons: { reloader: { enabled: true } } }).addons;
        const chart = enabledAddonCharts(config, { platformNamespace: { name: "agents", ready: [] } }).find((c) => c.addon === "reloader")!;
        expect(chart).to.deep.include({ namespace: "reloader", chart: "reloader", repo: RELOADER_REPO, podSecurity: "restricted" });
        expect(config.reloader.version).to.equal(RELOADER_CHART_VERSION);
        expect((chart.values as any).reloader.namespaces).to.deep.equal(["agents"]);
    });

    it("installs the chart after the platform namespace it watches exists (its Role lives there)", async () => {
        const config = testConfig({ addons: { reloader: { enabled: true } } }).addons;
        const r = await recordComponents((provider) => {
            const namespace = new k8s.core.v1.Namespace("platform", { metadata: { name: "agents" } }, { provider });
            return new ClusterAddons("addons", { config, platformNamespace: { name: "agents", ready: [namespace] } }, { providers: [provider] });
        });
        const chart = r.recording.resources.find((x) => x.type === "kubernetes:helm.sh/v4:Chart")!;
        const namespace = r.recording.resources.find((x) => x.name === "platform")!;
        expect([chart.inputs["chart"], chart.inputs["version"], chart.inputs["namespace"]]).to.deep.equal(["reloader", RELOADER_CHART_VERSION, "reloader"]);
        expect(chart.dependsOn).to.include(namespace.urn);
        expect(r.object("Namespace", "reloader").metadata.labels!["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    });
});
