/** The CrossGuard policy-config format, resolved the way the engine resolves it. */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPolicyConfig, loadPolicyConfigFile, parsePolicyConfig, policyNames } from "../../policies/evaluate";

const mandatoryByDefault = [
    "run-as-non-root",
    "no-run-as-root-user",
    "read-only-root-filesystem",
    "drop-all-capabilities",
    "restricted-capabilities",
    "no-privilege-escalation",
    "no-privileged-containers",
    "seccomp-restricted",
    "no-host-namespaces",
    "no-host-ports",
    "restricted-volume-types",
    "default-proc-mount",
    "restricted-selinux",
    "no-unconfined-apparmor",
    "safe-sysctls",
    "no-host-process",
    "no-probe-or-lifecycle-host",
];
const advisoryByDefault = [
    "resource-requests-and-limits",
    "pinned-image",
    "health-probes",
    "no-credentials-in-env-literals",
    "no-service-account-token-automount",
];

describe("policy config", () => {
    it("has the issue's policy names with their default levels", () => {
        expect(policyNames).to.deep.equal([...mandatoryByDefault, ...advisoryByDefault]);
        for (const name of mandatoryByDefault) {
            expect(defaultPolicyConfig[name], name).to.equal("mandatory");
        }
        for (const name of advisoryByDefault) {
            expect(defaultPolicyConfig[name], name).to.equal("advisory");
        }
    });

    it("an empty config keeps the defaults", () => {
        expect(parsePolicyConfig({})).to.deep.equal(defaultPolicyConfig);
    });

    it('{"all": "mandatory"} makes every policy mandatory', () => {
        const config = parsePolicyConfig({ all: "mandatory" });
        expect(new Set(policyNames.map((name) => config[name]))).to.deep.equal(new Set(["mandatory"]));
    });

    it('a named policy beats "all", in both spellings', () => {
        const config = parsePolicyConfig({
            all: { enforcementLevel: "advisory" },
            "pinned-image": "disabled",
            "run-as-non-root": { enforcementLevel: "mandatory" },
        });
        expect(config["pinned-image"]).to.equal("disabled");
        expect(config["run-as-non-root"]).to.equal("mandatory");
        expect(config["no-host-ports"]).to.equal("advisory");
    });

    it("an object without enforcementLevel keeps the level", () => {
        expect(parsePolicyConfig({ "pinned-image": {} })["pinned-image"]).to.equal("advisory");
    });

    it("rejects an unknown policy name, naming the key and the allowed names", () => {
        expect(() => parsePolicyConfig({ "run-as-nonroot": "advisory" })).to.throw(
            /"run-as-nonroot": unknown policy; allowed keys are "all", run-as-non-root, .*no-service-account-token-automount/,
        );
    });

    it("rejects an unknown level, naming the key and the allowed levels", () => {
        expect(() => parsePolicyConfig({ "pinned-image": "warn" })).to.throw(
            'policy config "pinned-image": enforcement level "warn" is not one of mandatory, advisory, disabled',
        );
        expect(() => parsePolicyConfig({ all: { enforcementLevel: "remediate" } })).to.throw(/"all": enforcement level "remediate"/);
    });

    it("rejects settings other than enforcementLevel", () => {
        expect(() => parsePolicyConfig({ "pinned-image": { allowLatest: true } })).to.throw(/"pinned-image": unknown setting "allowLatest"/);
    });

    it("rejects a config that is not an object", () => {
        expect(() => parsePolicyConfig(["all"])).to.throw(/must be a JSON object/);
        expect(() => parsePolicyConfig(null)).to.throw(/must be a JSON object/);
    });

    describe("loadPolicyConfigFile", () => {
        const directory = mkdtempSync(join(tmpdir(), "policy-config-"));

        it("reads a JSON file", () => {
            const path = join(directory, "ok.json");
            writeFileSync(path, JSON.stringify({ all: "disabled", "no-host-ports": "mandatory" }));
            const config = loadPolicyConfigFile(path);
            expect(config["no-host-ports"]).to.equal("mandatory");
            expect(config["run-as-non-root"]).to.equal("disabled");
        });

        it("names the file when it is missing, not JSON, or invalid", () => {
            expect(() => loadPolicyConfigFile(join(directory, "missing.json"))).to.throw(/cannot read policy config .*missing\.json: ENOENT/);
            writeFileSync(join(directory, "bad.json"), "{ all: mandatory }");
            expect(() => loadPolicyConfigFile(join(directory, "bad.json"))).to.throw(/bad\.json is not valid JSON/);
            writeFileSync(join(directory, "wrong.json"), JSON.stringify({ nope: "advisory" }));
            expect(() => loadPolicyConfigFile(join(directory, "wrong.json"))).to.throw(/wrong\.json: policy config "nope": unknown policy/);
        });
    });
});
