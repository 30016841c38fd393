// Checks an OpenAPI document: that it is YAML, that it matches the OpenAPI 3
// schema, and the rules the schema cannot say (path parameters declared, unique
// operationIds, resolvable $refs). swagger-parser does the work.
//
//   node docs/tools/validate.mjs docs/openapi.yaml
//
// Exit codes: 0 valid, 1 invalid (the error and where it is go to stderr),
// 2 usage, 77 the npm packages are not installed (ctest counts that as skipped).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const kSkip = 77;

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error("用法: node validate.mjs <openapi.yaml>");
  process.exit(2);
}

let SwaggerParser;
try {
  SwaggerParser = createRequire(import.meta.url)("@apidevtools/swagger-parser");
} catch (error) {
  if (error.code !== "MODULE_NOT_FOUND") throw error;
  console.error(
    "跳过：docs/tools 的 npm 包未安装（在 docs/tools 运行 npm ci，scripts/test 会自动安装）");
  process.exit(kSkip);
}

try {
  const text = await readFile(file, "utf8");
  if (!text.startsWith("openapi: 3.")) throw new Error('the document does not open with "openapi: 3."');
  const api = await SwaggerParser.validate(file);
  const operations = Object.values(api.paths)
    .flatMap((path) => Object.keys(path))
    .filter((key) => ["get", "put", "post", "delete", "patch", "options", "head", "trace"].includes(key));
  console.log(`${file}: valid OpenAPI ${api.openapi} (${Object.keys(api.paths).length} paths, ${operations.length} operations)`);
} catch (error) {
  // The message says where: line and column for YAML, the JSON path for the schema.
  console.error(`${file}: invalid\n${error.message}`);
  process.exit(1);
}
