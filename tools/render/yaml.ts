/**
 * Rendered YAML that reads the same under YAML 1.1 and 1.2. kubectl (sigs.k8s.io/yaml), PyYAML
 * and tools built on them still read 1.1, where a plain `off` is false, `0777` is 511 and
 * `1:20` is 80; 1.2 readers take `0o17` for a number that 1.1 leaves a string. Every string one
 * of them would read as something else is quoted.
 *
 * The `yaml` package's 1.1 schema already quotes what it resolves as 1.1 (booleans with y/n,
 * octal, `1_000`, sexagesimal, timestamps); the patterns below add what other readers resolve:
 * YAML 1.2 core (`0o17`, `1e3`) and PyYAML's implicit resolvers (`=` and `<<`, which PyYAML's
 * safe loader cannot even construct).
 */
import { Document, Scalar, visit } from "yaml";

const AMBIGUOUS_PLAIN_SCALARS: readonly RegExp[] = [
    // YAML 1.1 booleans (the spec's list; PyYAML leaves out y/n, go-yaml v2 does not) and nulls.
    /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
    /^(?:~|null|Null|NULL|)$/,
    // PyYAML's 1.1 ints and floats: binary, octal, underscores, sexagesimal, .inf/.nan.
    /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
    /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    // YAML 1.1 timestamps, merge key and value key.
    /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
    /^(?:<<|=)$/,
    // YAML 1.2 core ints and floats.
    /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/,
    /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
];

const MERGE_TAG = "tag:yaml.org,2002:merge";

/** Whether a YAML 1.1 or 1.2 reader would take this string, written plain, for something else. */
export function isAmbiguousPlainScalar(text: string): boolean {
    return AMBIGUOUS_PLAIN_SCALARS.some((pattern) => pattern.test(text));
}

/** One YAML document, every ambiguous string (keys included) double-quoted. */
export function toPortableYaml(value: unknown): string {
    // Without the merge tag: the 1.1 schema would write a `<<` key plain whatever its type says.
    const doc = new Document(value, { version: "1.1", customTags: (tags) => tags.filter((tag) => typeof tag === "string" || tag.tag !== MERGE_TAG) });
    visit(doc, {
        Scalar(_key, node: Scalar) {
            if (typeof node.value === "string" && isAmbiguousPlainScalar(node.value)) node.type = Scalar.QUOTE_DOUBLE;
        },
    });
    return doc.toString({ lineWidth: 0 });
}
