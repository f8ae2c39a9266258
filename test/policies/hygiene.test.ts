/** The advisory hygiene policies: resources, image pinning, probes, env literals, token automount. */
import { expect } from "chai";
import { looksLikeCredentialName } from "../../policies/rules/env";
import { imagePinOf } from "../../policies/rules/images";
import { workloadWith, type Json } from "./support/fixtures";
import { findingKeys } from "./support/findings";

const podSpec = "spec.template.spec";
const app = `${podSpec}.containers[0]`;

function deployment(edit: (spec: Json) => void): Json {
    return workloadWith("Deployment", edit);
}

describe("resource-requests-and-limits", () => {
    it("a limit alone also counts as the request (the API server defaults requests to limits)", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].resources = { limits: { cpu: "1", memory: "1Gi" } };
                }),
            ),
        ).to.deep.equal([]);
    });

    it("no resources at all: both requests and the memory limit are reported", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    delete spec.containers[0].resources;
                }),
            ),
        ).to.deep.equal([
            `resource-requests-and-limits @ ${app}.resources.limits.memory`,
            `resource-requests-and-limits @ ${app}.resources.requests.cpu`,
            `resource-requests-and-limits @ ${app}.resources.requests.memory`,
        ]);
    });

    it("a missing CPU request is reported on its own; a CPU limit is not required", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    delete spec.containers[0].resources.requests.cpu;
                }),
            ),
        ).to.deep.equal([`resource-requests-and-limits @ ${app}.resources.requests.cpu`]);
    });
});

describe("pinned-image", () => {
    const cases: Array<[string | undefined, string]> = [
        ["nginx", "untagged"],
        ["nginx:latest", "latest"],
        ["nginx:1.27", "tag"],
        ["registry.example.com:5000/team/app", "untagged"],
        ["registry.example.com:5000/team/app:2.1.0", "tag"],
        ["registry.example.com:5000/team/app:latest", "latest"],
        ["app@sha256:abc", "digest"],
        ["app:latest@sha256:abc", "digest"],
        ["", "missing"],
        [undefined, "missing"],
    ];
    for (const [image, pin] of cases) {
        it(`${JSON.stringify(image)} is ${pin}`, () => {
            expect(imagePinOf(image)).to.equal(pin);
        });
    }

    it("an unpinned init container image is reported at its own path", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.initContainers[0].image = "busybox";
                }),
            ),
        ).to.deep.equal([`pinned-image @ ${podSpec}.initContainers[0].image`]);
    });
});

describe("health-probes", () => {
    it("a sidecar (init container with restartPolicy: Always) needs probes too", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.initContainers[0].restartPolicy = "Always";
                }),
            ),
        ).to.deep.equal([`health-probes @ ${podSpec}.initContainers[0].livenessProbe`, `health-probes @ ${podSpec}.initContainers[0].readinessProbe`]);
    });

    for (const restartPolicy of ["Never", "OnFailure"]) {
        it(`a bare Pod with restartPolicy ${restartPolicy} runs to completion and needs none`, () => {
            const pod = workloadWith("Pod", (spec) => {
                spec.restartPolicy = restartPolicy;
                delete spec.containers[0].readinessProbe;
                delete spec.containers[0].livenessProbe;
            });
            expect(findingKeys(pod)).to.deep.equal([]);
        });
    }

    it("a bare Pod with restartPolicy Always needs them", () => {
        const pod = workloadWith("Pod", (spec) => {
            spec.restartPolicy = "Always";
            delete spec.containers[0].livenessProbe;
        });
        expect(findingKeys(pod)).to.deep.equal(["health-probes @ spec.containers[0].livenessProbe"]);
    });
});

describe("no-credentials-in-env-literals", () => {
    const credentialNames = [
        "API_KEY",
        "DB_PASSWORD",
        "GITHUB_TOKEN",
        "client_secret",
        "clientSecret",
        "OPENAI_APIKEY",
        "SMTP_PASSWD",
        "aws.secret.access.key",
    ];
    const otherNames = ["LOG_LEVEL", "KEYCLOAK_URL", "TOKENIZER_PATH", "API_KEY_FILE", "DB_PASSWORD_PATH", "SECRET_NAME", "AWS_ACCESS_KEY_ID", "PORT"];
    for (const name of credentialNames) {
        it(`${name} looks like a credential`, () => {
            expect(looksLikeCredentialName(name)).to.equal(true);
        });
    }
    for (const name of otherNames) {
        it(`${name} does not look like a credential`, () => {
            expect(looksLikeCredentialName(name)).to.equal(false);
        });
    }

    it("valueFrom.secretKeyRef and an empty literal pass", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].env = [
                        { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token" } } },
                        { name: "DB_PASSWORD", value: "" },
                    ];
                }),
            ),
        ).to.deep.equal([]);
    });

    it("each literal credential is reported at its own env index", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.containers[0].env = [
                        { name: "LOG_LEVEL", value: "debug" },
                        { name: "API_KEY", value: "k" },
                        { name: "DB_PASSWORD", value: "p" },
                    ];
                }),
            ),
        ).to.deep.equal([`no-credentials-in-env-literals @ ${app}.env[1].value`, `no-credentials-in-env-literals @ ${app}.env[2].value`]);
    });
});

describe("no-service-account-token-automount", () => {
    it("an explicit true is an opt-in and passes", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.automountServiceAccountToken = true;
                }),
            ),
        ).to.deep.equal([]);
    });

    it("null is unset and is reported", () => {
        expect(
            findingKeys(
                deployment((spec) => {
                    spec.automountServiceAccountToken = null;
                }),
            ),
        ).to.deep.equal([`no-service-account-token-automount @ ${podSpec}.automountServiceAccountToken`]);
    });
});
