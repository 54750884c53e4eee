/** The zod-openapi hook: a request that fails validation gets 400 with the first issues, in our error shape. */
import type { Hook } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.ts";

// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes with different schemas
export const validationHook: Hook<any, AppEnv, any, any> = (result, c) => {
  if (result.success) return;
  const issues = result.error.issues.slice(0, 5).map((i) => ({ path: i.path.join("."), message: i.message }));
  return c.json({ error: { code: "bad_request", message: "Invalid request.", details: issues } }, 400);
};
