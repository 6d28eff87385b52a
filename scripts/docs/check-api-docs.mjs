// Checks what TypeDoc's own validation cannot: every optional member of an options interface says
// its default (`@defaultValue`, or `@default`), and every factory (`create…`) shows an `@example`.
// Reads the JSON model that `typedoc` writes next to the HTML reference.
// Run by `pnpm run docs` (pnpm has a built-in `docs` command, so `pnpm docs` alone opens a package page).
import { readFileSync } from 'node:fs';

const KIND = { Function: 64, Interface: 256, Property: 1024, Method: 2048 };
const model = JSON.parse(readFileSync(process.argv[2] ?? 'docs/api/api.json', 'utf8'));
const problems = [];

function tags(comment) {
  return new Set((comment?.blockTags ?? []).map((tag) => tag.tag));
}

function visit(node, path) {
  const name = path.length > 0 ? `${path.join('.')}.${node.name}` : node.name;
  if (node.kind === KIND.Interface && /Options$/.test(node.name)) {
    for (const member of node.children ?? []) {
      if (!member.flags?.isOptional) continue;
      if (member.kind !== KIND.Property && member.kind !== KIND.Method) continue;
      const comment = member.comment ?? member.signatures?.[0]?.comment;
      const found = tags(comment);
      if (!found.has('@defaultValue') && !found.has('@default')) {
        problems.push(`${name}.${member.name}: an option without @defaultValue`);
      }
    }
  }
  if (node.kind === KIND.Function && /^create[A-Z]/.test(node.name)) {
    if (!node.signatures?.some((signature) => tags(signature.comment).has('@example'))) {
      problems.push(`${name}: a factory without @example`);
    }
  }
  for (const child of node.children ?? [])
    visit(child, node.kind === undefined ? path : [...path, node.name]);
}

for (const project of model.children ?? []) visit(project, []);
if (problems.length > 0) {
  console.error(`API reference: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('API reference: every option states its default and every factory has an example');
