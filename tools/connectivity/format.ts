/** The two output formats of netpol-analyzer's `list` (see docs/connectivity.md). */
import type { ConnectionLine } from "./list";

/** `src => dst : conn`, one line each, every line ending in LF; nothing allowed: empty. */
export function formatTxt(lines: readonly ConnectionLine[]): string {
    let text = "";
    for (const line of lines) text += `${line.src} => ${line.dst} : ${line.conn}\n`;
    return text;
}

/** A JSON array of {src, dst, conn}, two-space indented, no trailing newline ("[]" when empty). */
export function formatJson(lines: readonly ConnectionLine[]): string {
    return JSON.stringify(
        lines.map((line) => ({ src: line.src, dst: line.dst, conn: line.conn })),
        null,
        2,
    );
}
