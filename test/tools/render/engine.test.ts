/**
 * The render's recorder and manifest conversion: what a user reads must never hold a secret,
 * and must still show the shape of what is created.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { expect } from "chai";
import { REDACTED } from "../../../tools/render/wire";
import { recordComponents } from "../../helpers/record";

describe("render engine", () => {
    it("redacts every Secret value but keeps the key names, also when the SDK sends the whole map as one secret", async () => {
        const r = await recordComponents((provider) => {
            new k8s.core.v1.Secret("whole", { metadata: { name: "whole" }, stringData: { "api-key": "VERY-SECRET-1", token: "VERY-SECRET-2" } }, { provider });
            new k8s.core.v1.Secret("plain", { metadata: { name: "plain" }, data: { password: Buffer.from("VERY-SECRET-3").toString("base64") } }, { provider });
        });
        expect(r.object("Secret", "whole")["stringData"]).to.deep.equal({ "api-key": REDACTED, token: REDACTED });
        expect(r.object("Secret", "plain")["data"]).to.deep.equal({ password: REDACTED });
        expect(JSON.stringify(r.objects)).not.to.match(/VERY-SECRET|VkVSWS1TRUNSRVQt/);
    });

    it("names an object without metadata.name the way the provider does, with a stable stand-in suffix", async () => {
        const first = await recordComponents((provider) => new k8s.core.v1.ConfigMap("settings", { data: { a: "1" } }, { provider }));
        const second = await recordComponents((provider) => new k8s.core.v1.ConfigMap("settings", { data: { a: "2" } }, { provider }));
        const name = first.object("ConfigMap").metadata.name;
        expect(name).to.match(/^settings-[0-9a-f]{8}$/);
        expect(second.object("ConfigMap").metadata.name).to.equal(name);
    });

    it("keeps outputs secret that the engine keeps secret, such as a generated password", async () => {
        const r = await recordComponents((provider) => {
            const password = new random.RandomPassword("pw", { length: 16 });
            new k8s.core.v1.ConfigMap("leak", { metadata: { name: "leak" }, data: { password: password.result } }, { provider });
        });
        expect(r.object("ConfigMap", "leak")["data"]).to.deep.equal({ password: REDACTED });
    });

    it("records stack outputs with secrets redacted", async () => {
        const r = await recordComponents(() => ({ visible: "hello", hidden: pulumi.secret("VERY-SECRET-4") }));
        expect(r.recording.stackOutputs).to.deep.equal({ visible: "hello", hidden: REDACTED });
    });
});
