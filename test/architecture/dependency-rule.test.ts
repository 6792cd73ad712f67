import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dependencyViolations, importsOf } from "./dependency-rule.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const rule = suite("dependency rule");

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "deprule-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

rule("the project's own source keeps the rule", () => {
  const violations = dependencyViolations(ROOT);
  assert.equal(
    violations,
    [],
    violations.map((v) => `${v.file} imports ${v.specifier}: ${v.rule}`).join("\n"),
  );
});

rule("a domain file that imports an adapter is a violation", () => {
  const root = tree({
    "src/domain/order.ts":
      'import { SqliteOrderStore } from "../adapters/sqlite/sqlite.order-store.js";\nexport const x = 1;\n',
    "src/adapters/sqlite/sqlite.order-store.ts": "export class SqliteOrderStore {}\n",
  });
  try {
    const [v] = dependencyViolations(root);
    assert.equal(v?.file, "src/domain/order.ts");
    assert.match(v?.rule ?? "", /src\/domain may not import from src\/app or src\/adapters/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

rule("a domain file that imports Node or a package is a violation, type-only imports included", () => {
  const root = tree({
    "src/domain/a.ts": 'import { readFileSync } from "node:fs";\n',
    "src/domain/b.ts": 'import type { Container } from "inversify";\n',
    "src/domain/c.ts": 'import type { X } from "./a.js";\n// import "node:fs" in a comment is fine\n',
  });
  try {
    assert.equal(
      dependencyViolations(root)
        .map((v) => v.file)
        .sort(),
      ["src/domain/a.ts", "src/domain/b.ts"],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

rule("only the composition root may import adapters from src/app", () => {
  const root = tree({
    "src/app/use-cases/x.use-case.ts": 'import { y } from "../../adapters/sample/y.js";\n',
    "src/app/composition/plugins.ts": 'import { y } from "../../adapters/sample/y.js";\n',
    "src/adapters/sample/y.ts":
      'import type { Clock } from "../../app/ports/clock.port.js";\nimport { RunSteps } from "../../app/use-cases/run-cycle.use-case.js";\n',
  });
  try {
    const files = dependencyViolations(root)
      .map((v) => `${v.file} ${v.specifier}`)
      .sort();
    assert.equal(files, [
      "src/adapters/sample/y.ts ../../app/use-cases/run-cycle.use-case.js",
      "src/app/use-cases/x.use-case.ts ../../adapters/sample/y.js",
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

rule("multi-line, side-effect and dynamic imports are all seen", () => {
  const found = importsOf(
    'import {\n  a,\n  b,\n} from "./multi.js";\nimport "./side.js";\nconst m = await import("./dyn.js");\nexport * from "./re.js";\n',
  );
  assert.equal(found.sort(), ["./dyn.js", "./multi.js", "./re.js", "./side.js"]);
});

rule.run();
