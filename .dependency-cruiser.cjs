/**
 * Layer rules from ../shared/docs/STYLE.md: no cycles; lib/ imports nothing of ours outside lib/; nothing
 * imports server/ (tests and the composition root inside server/ are the exception); evals/ only reach agent/ (and the
 * server's test kits, to run the full path).
 */
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    {
      name: "lib-is-the-kernel",
      comment: "lib/ (env, db, errors, logger) must not depend on any domain folder",
      severity: "error",
      from: { path: "^lib/" },
      to: {
        path: "^(agent|tools|knowledge|server|evals|whatsapp|conversations|tenants|compliance|outbox|sandbox|handoff|customers|campaigns|reports|privacy|bench|scripts)/",
      },
    },
    {
      name: "nothing-imports-server",
      comment: "server/ is the outermost layer; only its own files, benchmarks and scripts may import it",
      severity: "error",
      from: {
        path: "^(lib|agent|tools|knowledge|whatsapp|conversations|tenants|compliance|outbox|sandbox|handoff|customers|campaigns|reports|privacy)/",
      },
      to: { path: "^server/" },
    },
    {
      name: "evals-only-reach-agent",
      comment:
        "evals/ drive the agent; to run the same path the server runs (signed webhook → worker → graph → outbox) they may " +
        "also use the server's test kits (server/testing.ts, server/agent-testing.ts) and the default tenant's id, nothing else",
      severity: "error",
      from: { path: "^evals/" },
      to: {
        pathNot: "^(agent/|evals/|server/(agent-)?testing\\.ts$|tenants/tenant-store\\.ts$|node_modules/)",
        dependencyTypesNot: ["core"],
      },
    },
    {
      name: "domains-do-not-import-agent",
      comment: "the agent sits above tools, knowledge and the channel; they must not reach back up into it",
      severity: "error",
      from: { path: "^(tools|knowledge|whatsapp|tenants|lib)/" },
      to: { path: "^agent/" },
    },
    {
      name: "whatsapp-channel-below-conversations",
      comment: "the channel (webhook parsing, inbox, worker) knows nothing of the conversation record",
      severity: "error",
      from: { path: "^whatsapp/" },
      to: { path: "^conversations/" },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|data|scratch|evals/node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".js"],
    },
  },
};
