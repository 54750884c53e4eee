/** Hono context variables shared by every route. */
import type { Logger } from "../lib/logger.ts";

export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
  };
};
