// House rules for imports, checked by dependency-cruiser in `npm test` (`npm run lint:deps`).
// Paths in the rules are relative to the repository root. tests/unit/dependency-rules.test.ts runs
// these same rules over a small fixture with deliberate violations, so a rule that stops matching
// anything fails the suite instead of passing silently.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles anywhere, type-only imports included (options.tsPreCompilationDeps).",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-not-to-app",
      severity: "error",
      comment: "lib/ is shared code: it never imports the app's pages and routes (app/), components/ or the Inngest functions (top-level inngest/).",
      from: { path: "^lib/" },
      to: { path: "^(app|components|inngest)/" },
    },
    {
      name: "sandbox-not-to-lib-amazon",
      severity: "error",
      comment: "The Amazon sandbox is an independent fake of Amazon: it never imports the app's Amazon client (lib/amazon/).",
      from: { path: "^sandbox/" },
      to: { path: "^lib/amazon/" },
    },
    {
      name: "lib-amazon-not-to-sandbox",
      severity: "error",
      comment: "The app's Amazon client (lib/amazon/) never imports the sandbox; it talks to it over HTTP like to Amazon.",
      from: { path: "^lib/amazon/" },
      to: { path: "^sandbox/" },
    },
    {
      name: "runner-not-to-app-code",
      severity: "error",
      comment: "runner/ is a standalone Inngest-compatible runner: no app code (app/, components/, lib/); the generated Prisma client under lib/generated/ is the shared schema and allowed.",
      from: { path: "^runner/" },
      to: { path: "^(app|components|lib)/", pathNot: "^lib/generated/" },
    },
    {
      name: "runner-not-to-inngest-functions",
      severity: "error",
      comment: "runner/ never imports the app's Inngest client or functions (top-level inngest/).",
      // KNOWN VIOLATION, to be removed: runner/conformance.test.ts dynamically imports
      // @/inngest/client and @/inngest/functions to run the product's functions on the runner.
      // Exempted here only for that file and only for those two modules (see the next rule).
      from: { path: "^runner/", pathNot: "^runner/conformance\\.test\\.ts$" },
      to: { path: "^inngest/" },
    },
    {
      name: "runner-conformance-only-inngest-entry-points",
      severity: "error",
      comment: "The known-violation exception above covers inngest/client.ts and inngest/functions/index.ts only.",
      from: { path: "^runner/conformance\\.test\\.ts$" },
      to: { path: "^inngest/", pathNot: "^inngest/(client\\.ts|functions/index\\.ts)$" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "Every import resolves (to a file or an installed package). Keeps the rules above meaningful: an import the cruiser cannot resolve (e.g. a broken @/ alias) would otherwise escape them.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Excluded from the cruise altogether. node_modules: packages are not ours to check (an import of
    // the `inngest` npm package resolves to node_modules/inngest, never to the top-level inngest/).
    exclude: { path: "^(node_modules|lib/generated|\\.next|\\.data|test-results|playwright-report)/" },
    // See TypeScript `import type` / type-only imports too, so type-only cycles are reported.
    tsPreCompilationDeps: true,
    // Resolves the @/ alias (compilerOptions.paths). With no baseUrl in tsconfig.json the paths are
    // taken relative to the working directory: run it from the repository root, as npm scripts do.
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".d.ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
