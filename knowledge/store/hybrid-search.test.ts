import { openMemoryDatabase } from "../../lib/testing/test-db.ts";
import { describeHybridSearch } from "./hybrid-search.cases.ts";

describeHybridSearch("PGlite", () => openMemoryDatabase());
