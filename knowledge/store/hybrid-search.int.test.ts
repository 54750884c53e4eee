import { openServerTestDatabase } from "../../lib/testing/test-db.ts";
import { describeHybridSearch } from "./hybrid-search.cases.ts";

describeHybridSearch("PostgreSQL", () => openServerTestDatabase());
