// Workspace packages export a `source` condition pointing at their TypeScript entry, so tests run
// against the code in the tree, not against a possibly stale dist/.
const conditions = ['source', 'module', 'node', 'development|production'];

export const sourceConditions = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
};
