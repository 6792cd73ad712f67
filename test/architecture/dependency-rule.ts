import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The hexagon's dependency rule, checked on the source text:
 * - src/domain imports only other src/domain files: no Node built-ins, no packages, no app, no adapters;
 * - src/app imports adapters only from the composition root (src/app/composition);
 * - src/adapters reach into src/app only for ports, errors, configuration types and the plugin contract.
 */
export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gs,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
];

export function importsOf(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  const found = new Set<string>();
  for (const pattern of IMPORT_PATTERNS) for (const m of text.matchAll(pattern)) if (m[1]) found.add(m[1]);
  return [...found];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const ADAPTER_MAY_USE = [
  /^app\/ports\//,
  /^app\/errors\.ts$/,
  /^app\/config\/config(\.token)?\.ts$/,
  /^app\/composition\/(plugin|runtime)\.ts$/,
];

function ruleFor(fromRel: string, specifier: string, targetRel: string | undefined): string | undefined {
  if (fromRel.startsWith("domain/")) {
    if (!targetRel) return "src/domain may not import Node built-ins or packages";
    if (!targetRel.startsWith("domain/")) return "src/domain may not import from src/app or src/adapters";
    return undefined;
  }
  if (
    fromRel.startsWith("app/") &&
    targetRel?.startsWith("adapters/") &&
    !fromRel.startsWith("app/composition/")
  ) {
    return "only the composition root (src/app/composition) may import adapters";
  }
  if (fromRel.startsWith("adapters/") && targetRel?.startsWith("app/")) {
    const target = targetRel.replace(/\.js$/, ".ts");
    if (!ADAPTER_MAY_USE.some((allowed) => allowed.test(target))) {
      return `adapters may use only ports, errors, configuration types and the plugin contract from src/app (not ${specifier})`;
    }
  }
  return undefined;
}

/** Every import in `<root>/src` that breaks the rule. */
export function dependencyViolations(root: string): Violation[] {
  const src = path.join(root, "src");
  const violations: Violation[] = [];
  for (const file of sourceFiles(src)) {
    const fromRel = path.relative(src, file).split(path.sep).join("/");
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const relative = specifier.startsWith(".");
      const targetRel = relative
        ? path
            .relative(src, path.resolve(path.dirname(file), specifier))
            .split(path.sep)
            .join("/")
        : undefined;
      const rule = ruleFor(fromRel, specifier, targetRel);
      if (rule) violations.push({ file: `src/${fromRel}`, specifier, rule });
    }
  }
  return violations;
}
