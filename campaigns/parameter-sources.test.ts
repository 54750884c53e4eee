import { describe, expect, it } from "vitest";
import type { Template } from "../compliance/template-store.ts";
import { checkTemplateForSources, type ParameterProfile, ParameterSourceSchema, resolveParameters } from "./parameter-sources.ts";

const profile: ParameterProfile = {
  name: "Lucía Pérez",
  username: null,
  language: "es",
  country: "ES",
  erpCustomerId: null,
  attributes: { first_name: "Lucía", points: 120, note: "line one\n\tline    two" },
};

const template = (over: Partial<Template> = {}): Template => ({
  id: "1",
  name: "promo",
  language: "es",
  category: "marketing",
  status: "approved",
  body: "Hola {{1}}, tienes {{2}} puntos",
  parameters: [{ type: "text" }, { type: "text" }],
  updatedAt: new Date().toISOString(),
  ...over,
});

describe("parameter sources", () => {
  it("reads attributes, profile fields and literals, flattening whitespace Meta would reject", () => {
    const r = resolveParameters(
      [{ attribute: "first_name" }, { attribute: "points" }, { field: "name" }, { value: "20%" }, { attribute: "note" }],
      profile,
    );
    expect(r).toEqual({ ok: true, values: ["Lucía", "120", "Lucía Pérez", "20%", "line one line two"] });
  });

  it("uses the fallback for a missing value and reports the first parameter missing without one", () => {
    expect(resolveParameters([{ attribute: "city", fallback: "your city" }], profile)).toEqual({ ok: true, values: ["your city"] });
    expect(resolveParameters([{ field: "username" }, { attribute: "city" }], profile)).toEqual({ ok: false, missing: 1 });
    expect(resolveParameters([{ attribute: "first_name" }, { attribute: "city" }], profile)).toEqual({ ok: false, missing: 2 });
  });

  it("rejects malformed sources", () => {
    for (const bad of [
      {},
      { attribute: "" },
      { attribute: "a b" },
      { field: "email" },
      { value: "" },
      { value: "x", fallback: "y" },
      { attribute: "x", extra: 1 },
    ]) {
      expect(ParameterSourceSchema.safeParse(bad).success).toBe(false);
    }
  });

  it("checks that a template exists, is approved and takes exactly these text parameters", () => {
    const ref = { name: "promo", language: "es" };
    const two = [{ value: "a" }, { value: "b" }];
    expect(checkTemplateForSources(template(), ref, two)).toEqual({ ok: true });
    expect(checkTemplateForSources(undefined, ref, two)).toMatchObject({ ok: false, message: expect.stringMatching(/does not exist/) });
    expect(checkTemplateForSources(template({ status: "paused" }), ref, two)).toMatchObject({ message: expect.stringMatching(/paused/) });
    expect(checkTemplateForSources(template(), ref, [{ value: "a" }])).toMatchObject({
      message: expect.stringMatching(/takes 2 parameters; 1 were given/),
    });
    const money = template({ parameters: [{ type: "text" }, { type: "currency" }] });
    expect(checkTemplateForSources(money, ref, two)).toMatchObject({ message: expect.stringMatching(/parameter 2 is currency/) });
  });
});
