/** The `platform` block: settings shared by every service. */
import { z } from "zod";

export const platformBlock = z
    .strictObject({
        domain: z
            .string()
            .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS domain")
            .meta({ description: "Platform domain: ingress hosts written as `ai.{domain}` resolve against it.", allowed: "a DNS domain such as example.com" })
            .optional(),
    })
    .meta({ description: "Settings shared by every service." });
