/**
 * The tenant profile: who the business is, what it sells, what the bot may talk about, how it sounds, its languages,
 * business hours and the topics that always go to a person. It builds the system prompt and the offline mode's
 * scope. Owns `agent_profiles`; a tenant without a row gets the demo business's profile.
 */
import type pg from "pg";
import { z } from "zod";

export const TenantProfileSchema = z.object({
  businessName: z.string().trim().min(1).max(120),
  description: z.string().trim().max(1000).describe("What the business sells, in a sentence or two"),
  topics: z.array(z.string().trim().min(1).max(80)).min(1).max(20).describe("What the bot helps with"),
  tone: z.string().trim().max(300).default("friendly, concise, professional"),
  languages: z.array(z.string().trim().min(2).max(10)).min(1).max(30).describe("First one is the default"),
  businessHours: z.string().trim().min(1).max(200).describe("As customers should read it, e.g. 'Mon-Fri 9:00-18:00 CET'"),
  sensitiveTopics: z
    .array(z.object({ name: z.string().trim().min(1).max(60), phrases: z.array(z.string().trim().min(1).max(120)).min(1).max(200) }))
    .max(20)
    .default([]),
});
export type TenantProfile = z.infer<typeof TenantProfileSchema>;

/** The demo business (the seeded ERP store is "Northwind Outfitters"). */
export const DEMO_PROFILE: TenantProfile = {
  businessName: "Northwind Outfitters",
  description: "An online shop for outdoor and sports gear: clothing, shoes, backpacks, bottles, headphones and camping equipment.",
  topics: ["orders and delivery", "returns and refunds", "shipping costs and times", "payments", "products, sizes and care", "warranty"],
  tone: "friendly, concise, professional",
  languages: ["en", "es", "pt", "fr", "de", "it", "tr", "id", "hi", "ar", "zh", "ja"],
  businessHours: "Monday to Friday, 9:00-18:00 (CET)",
  sensitiveTopics: [
    {
      name: "legal",
      phrases: [
        "lawyer",
        "attorney",
        "lawsuit",
        "sue (you|them)",
        "legal action",
        "court",
        "abogado",
        "demanda(r)?",
        "denuncia(r)?",
        "advogado",
        "processar",
        "avocat",
        "poursuites",
        "anwalt",
        "klage",
        "avvocato",
        "avukat",
        "dava",
        "pengacara",
        "वकील",
        "محامي",
        "律师",
        "弁護士",
      ],
    },
    {
      name: "payment_dispute",
      phrases: [
        "chargeback",
        "charged twice",
        "double charged",
        "dispute (the|a) (charge|payment)",
        "fraudulent charge",
        "unauthori[sz]ed (charge|payment)",
        "contracargo",
        "cobro (duplicado|doble)",
        "me cobraron dos veces",
        "cobrado duas vezes",
        "estorno",
        "debite deux fois",
        "ruckbuchung",
        "doppelt abgebucht",
        "addebitato due volte",
        "iki kez cekildi",
        "重复扣款",
        "二重請求",
      ],
    },
    {
      name: "safety",
      phrases: [
        "injur(ed|y)",
        "burn(ed|t)",
        "caught fire",
        "explod(ed|ing)",
        "electric shock",
        "allergic reaction",
        "herid[oa]",
        "quemadura",
        "incendio",
        "se incendio",
        "ferid[oa]",
        "pegou fogo",
        "blesse",
        "brule",
        "verletzt",
        "verbrannt",
        "ferito",
        "yaralandi",
        "yandi",
        "terluka",
        "घायल",
        "حريق",
        "受伤",
        "着火",
        "怪我",
        "火事",
      ],
    },
  ],
};

/** The tenant's profile, or the demo profile when none was saved. */
export async function readTenantProfile(db: Pick<pg.Pool, "query">, tenantId: string): Promise<TenantProfile> {
  const { rows } = await db.query<{ profile: unknown }>("SELECT profile FROM agent_profiles WHERE tenant_id = $1", [tenantId]);
  const parsed = rows[0] ? TenantProfileSchema.safeParse(rows[0].profile) : undefined;
  return parsed?.success ? parsed.data : DEMO_PROFILE;
}

/** Saves (replaces) the tenant's profile. */
export async function saveTenantProfile(db: Pick<pg.Pool, "query">, tenantId: string, profile: TenantProfile): Promise<void> {
  await db.query(
    `INSERT INTO agent_profiles (tenant_id, profile) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET profile = EXCLUDED.profile, updated_at = now()`,
    [tenantId, JSON.stringify(profile)],
  );
}
