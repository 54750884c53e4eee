import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHandoffTestDatabase, seedConversation, TEST_TENANT } from "../handoff/testing.ts";
import type { Database } from "../lib/db.ts";
import { checkExportable, streamCustomerExport } from "./customer-export.ts";
import { EXPORT_SECTIONS, type ExportSection } from "./export-sections.ts";

let db: Database;
let seeded: { conversationId: string; customerId: string };
beforeAll(async () => {
  db = await openHandoffTestDatabase();
  seeded = await seedConversation(db.pool, { name: "Ines Paging" });
  for (let i = 1; i <= 7; i++) {
    await db.pool.query(
      "INSERT INTO messages (tenant_id, conversation_id, direction, type, text, payload, sent_at) VALUES ($1, $2, 'inbound', 'text', $3, '{}', now())",
      [TEST_TENANT, seeded.conversationId, `message ${i}`],
    );
  }
});
afterAll(async () => {
  await db.close();
});

const collect = async (sections?: ExportSection[], pageSize?: number) => {
  let text = "";
  for await (const chunk of streamCustomerExport(db.pool, TEST_TENANT, seeded.customerId, { sections, pageSize })) text += chunk;
  return JSON.parse(text);
};
const section = (name: string) => EXPORT_SECTIONS.find((s) => s.name === name) as ExportSection;

describe("streamCustomerExport", () => {
  it("pages through a long section in id order and produces one valid JSON document", async () => {
    const doc = await collect([section("profile"), section("messages")], 3);
    expect(doc.sections.profile).toEqual([expect.objectContaining({ name: "Ines Paging" })]);
    expect(doc.sections.messages.map((m: { text: string }) => m.text)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `message ${i}`));
    expect(doc.sections.messages[0].statuses).toEqual([]);
  });

  it("answers an empty list for a section whose table does not exist (yet), and its rows once it does", async () => {
    const optional: ExportSection = {
      name: "loyalty",
      requiresTable: "privacy_test_loyalty",
      sql: "SELECT points FROM privacy_test_loyalty WHERE tenant_id = $1 AND customer_id = $2",
    };
    expect((await collect([optional])).sections).toEqual({ loyalty: [] });
    await db.pool.query("CREATE TABLE privacy_test_loyalty (tenant_id text, customer_id bigint, points int)");
    await db.pool.query("INSERT INTO privacy_test_loyalty VALUES ($1, $2, 40)", [TEST_TENANT, seeded.customerId]);
    expect((await collect([optional])).sections).toEqual({ loyalty: [{ points: 40 }] });
  });

  it("runs every section of the real list on a customer with almost nothing stored", async () => {
    const doc = await collect();
    expect(Object.keys(doc.sections)).toEqual(EXPORT_SECTIONS.map((s) => s.name));
    expect(doc.sections.handoffs).toEqual([]);
  });
});

describe("checkExportable", () => {
  it("tells a live customer from an unknown, another tenant's, or an erased one", async () => {
    expect(await checkExportable(db.pool, TEST_TENANT, seeded.customerId)).toBe("ok");
    expect(await checkExportable(db.pool, "other", seeded.customerId)).toBe("not_found");
    expect(await checkExportable(db.pool, TEST_TENANT, "987654")).toBe("not_found");
    const other = await seedConversation(db.pool);
    await db.pool.query("UPDATE customers SET wa_id = NULL, erased_at = now() WHERE id = $1", [other.customerId]);
    expect(await checkExportable(db.pool, TEST_TENANT, other.customerId)).toBe("erased");
  });
});
