/** How manifests are read: kubectl's YAML 1.1 booleans, lists, stray documents. */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readManifestFile } from "../../tools/policy-check/manifests";
import { checkPaths } from "../../tools/policy-check/run";
import { InputError, parseYamlDocuments } from "../../tools/policy-check/yaml";

describe("manifest parsing", () => {
    const root = mkdtempSync(join(tmpdir(), "manifest-parsing-"));

    it("reads YAML 1.1 booleans as kubectl does, and leaves quoted ones as strings", () => {
        expect(parseYamlDocuments("a: yes\nb: Off\nc: 'on'\nd: y\ne: true\nf: yesterday\n", "t.yaml")).to.deep.equal([
            { a: true, b: false, c: "on", d: true, e: true, f: "yesterday" },
        ]);
    });

    it("catches `privileged: yes`, which kubectl applies as true", () => {
        const path = join(root, "yes.yaml");
        writeFileSync(
            path,
            [
                "apiVersion: v1",
                "kind: Pod",
                "metadata: {name: p}",
                "spec:",
                "  automountServiceAccountToken: no",
                "  containers:",
                "  - name: c",
                "    image: x:1",
                "    securityContext: {privileged: yes}",
                "",
            ].join("\n"),
        );
        const policies = checkPaths([path]).violations.map((violation) => violation.policy);
        expect(policies).to.include("no-privileged-containers");
        expect(policies).to.not.include("no-service-account-token-automount");
    });

    it("rejects duplicate keys, which make the manifest ambiguous", () => {
        expect(() => parseYamlDocuments("a: 1\na: 2\n", "dup.yaml")).to.throw(
            InputError,
            /dup\.yaml: invalid YAML at line 2, column \d+: duplicated mapping key/,
        );
    });

    it("flattens nested lists and typed lists, and rejects a stray document in a manifest file found by walking", () => {
        const path = join(root, "lists.yaml");
        writeFileSync(
            path,
            [
                "apiVersion: v1",
                "kind: List",
                "items:",
                "- apiVersion: apps/v1",
                "  kind: DeploymentList",
                "  items:",
                "  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}",
                "- {apiVersion: v1, kind: Service, metadata: {name: s}}",
                "",
            ].join("\n"),
        );
        expect(readManifestFile({ path, explicit: true }).objects.map((object) => (object as { kind: string }).kind)).to.deep.equal(["Deployment", "Service"]);

        const mixed = join(root, "mixed.yaml");
        writeFileSync(mixed, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\njust: values\n");
        expect(() => readManifestFile({ path: mixed, explicit: false })).to.throw(InputError, /mixed\.yaml: document 2 is not a Kubernetes object/);
    });

    it("reads a JSON array as a sequence of documents", () => {
        const path = join(root, "array.json");
        writeFileSync(
            path,
            JSON.stringify([
                { apiVersion: "v1", kind: "Service", metadata: { name: "a" } },
                { apiVersion: "v1", kind: "Service", metadata: { name: "b" } },
            ]),
        );
        expect(readManifestFile({ path, explicit: true }).objects).to.have.length(2);
    });
});
