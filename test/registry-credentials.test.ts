import { expect } from "chai";
import { dockerConfigJson, pullSecretsFor, REGISTRY_CREDENTIALS_SECRET, RegistryCredentials } from "../components/registry-credentials";
import { REDACTED } from "../tools/render/wire";
import { validateAgainstSchema } from "./helpers/kubernetes-schema";
import { recordComponents } from "./helpers/record";
import { configProblems, testConfig } from "./helpers/stack-config";

const login = { registry: "cr.seqera.io", username: "robot", password: "VERY-SECRET-TOKEN" };

describe("registry credentials", () => {
    it("builds a dockerconfigjson with a basic-auth token per registry", () => {
        const doc = JSON.parse(dockerConfigJson([login, { registry: "acr.example.io", username: "u", password: "p" }]));
        expect(Object.keys(doc.auths)).to.deep.equal(["cr.seqera.io", "acr.example.io"]);
        expect(Buffer.from(doc.auths["cr.seqera.io"].auth, "base64").toString()).to.equal("robot:VERY-SECRET-TOKEN");
    });

    it("adds a login Secret to the existing pull secrets of pods whose images come from its registry, and only those", () => {
        const images = { pullSecrets: ["regcred"], registryPullSecrets: [{ registries: ["cr.seqera.io"], secretName: REGISTRY_CREDENTIALS_SECRET }] };
        expect(pullSecretsFor(images, ["cr.seqera.io/private/nf-tower-enterprise/agent-backend:0.1.0"])).to.deep.equal(["regcred", REGISTRY_CREDENTIALS_SECRET]);
        expect(pullSecretsFor(images, ["ghcr.io/l4b4r4b4b4/fractal-agents-runtime-python:development", "mysql:8.0"])).to.deep.equal(["regcred"]);
        expect(pullSecretsFor({ pullSecrets: [] }, ["cr.seqera.io/x:1"])).to.deep.equal([]);
    });

    it("requires the password to be a secret and refuses a registry listed twice", () => {
        expect(configProblems({ images: { credentials: [login, login] } })).to.deep.equal([
            "agent-platform:images.credentials[0].password: is sensitive and stored in plain text (allowed: a secret, set with `pulumi config set --secret --path images.credentials[0].password <value>`)",
            "agent-platform:images.credentials[1].password: is sensitive and stored in plain text (allowed: a secret, set with `pulumi config set --secret --path images.credentials[1].password <value>`)",
            "agent-platform:images.credentials[1].registry: 'cr.seqera.io' is listed twice",
        ]);
    });

    it("creates one dockerconfigjson Secret whose content never leaves the secret", async () => {
        const images = testConfig({ images: { credentials: [login] } }, ["agent-platform:images"]).images;
        const r = await recordComponents((provider) => new RegistryCredentials("creds", { images, namespace: "agents" }, { providers: [provider] }));
        const secret = r.object("Secret", REGISTRY_CREDENTIALS_SECRET);
        expect(secret["type"]).to.equal("kubernetes.io/dockerconfigjson");
        expect(secret["stringData"]).to.deep.equal({ ".dockerconfigjson": REDACTED });
        expect(JSON.stringify(r.recording)).not.to.contain("VERY-SECRET-TOKEN");
        await validateAgainstSchema(secret);
    });
});
